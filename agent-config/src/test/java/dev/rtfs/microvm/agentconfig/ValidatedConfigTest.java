package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.rtfslang.RtfsLimitException;
import dev.rtfs.microvm.rtfslang.Span;
import org.junit.jupiter.api.Test;

/** A ValidatedConfig exists only for a config validation found no error in: what synthesis can trust. */
class ValidatedConfigTest {

    @Test
    void aValidConfigIsValidatedAsTheSameTypedConfig() {
        ConfigCheckResult r = Fixtures.check(Fixtures.VALID);
        assertThat(r.validated()).isPresent();
        assertThat(r.validated().get().config()).isSameAs(r.config().orElseThrow());
    }

    @Test
    void warningsAloneStillValidate() {
        ConfigCheckResult r = Fixtures.check(Fixtures.VALID.replace(":mem_mb 256", ":mem_mb 2048"));
        assertThat(r.diagnostics()).isNotEmpty().noneMatch(d -> d.isError());
        assertThat(r.validated()).isPresent();
    }

    @Test
    void everyMicroVmLimitThatSynthesisReliedOnIsRefusedByValidation() {
        for (String[] broken : new String[][] {
                {":vcpus 1", ":vcpus 0"}, {":vcpus 1", ":vcpus 33"}, {":mem_mb 256", ":mem_mb 63"},
                {":mem_mb 256", ":mem_mb 2147483648"}, {":cid 3", ":cid 2"}, {":cid 3", ":cid 4294967295"},
                {":ro true", ":ro false"}, {":image \"vmlinuz\"", ":image \"\""}, {":image \"rootfs.img\"", ":image \"\""},
                {":agent-id \"", ":agent-id \"Upper."}, {":mode :ro", ":mode :rw"}, {":vcpus 1", ""}}) {
            assertThat(Fixtures.VALID).contains(broken[0]);
            ConfigCheckResult r = Fixtures.check(Fixtures.VALID.replace(broken[0], broken[1]));
            assertThat(r.valid()).as(broken[1]).isFalse();
            assertThat(r.config()).as(broken[1]).isPresent();
            assertThat(r.validated()).as(broken[1]).isEmpty();
        }
    }

    @Test
    void everyRtfsLimitHasACodeOfTheSameName() {
        for (RtfsLimitException.Bound bound : RtfsLimitException.Bound.values()) {
            RtfsLimitException e = new RtfsLimitException(bound, "over", Span.NONE);
            assertThat(RtfsCode.of(e).name()).isEqualTo(e.code());
        }
    }
}
