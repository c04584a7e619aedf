package dev.rtfs.microvm.cli.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.DiagnosticCode;
import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.kubernetes.KubernetesCode;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.vmm.SynthCode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module's diagnostic codes, seen together (only cli sees every module): users script against the printed
 * name alone, so a name means one thing across namespaces, and each enum is one namespace.
 */
class DiagnosticCodesTest {

    static final List<List<? extends DiagnosticCode>> NAMESPACES = List.of(List.of(RtfsCode.values()),
            List.of(ConfigCode.values()), List.of(SynthCode.values()), List.of(AdmissionCode.values()),
            List.of(KubernetesCode.values()));

    @Test
    void noTwoCodesAcrossTheNamespacesShareAName() {
        Map<String, List<String>> owners = NAMESPACES.stream().flatMap(List::stream).collect(Collectors.groupingBy(
                DiagnosticCode::name, Collectors.mapping(DiagnosticCode::namespace, Collectors.toList())));
        assertThat(owners).allSatisfy((name, namespaces) -> assertThat(namespaces).as(name).hasSize(1));
    }

    @Test
    void everyCodeIsUpperCaseDigitsAndUnderscores() {
        assertThat(NAMESPACES.stream().flatMap(List::stream).map(DiagnosticCode::name))
                .isNotEmpty().allMatch(name -> name.matches("[A-Z][A-Z0-9_]+"));
    }

    @Test
    void eachModuleHasOneNamespaceOfItsOwn() {
        List<String> namespaces = NAMESPACES.stream().map(codes -> {
            assertThat(codes).extracting(DiagnosticCode::namespace).as(codes.toString()).containsOnly(codes.getFirst().namespace());
            return codes.getFirst().namespace();
        }).toList();
        assertThat(namespaces).containsExactly("rtfs", "config", "synth", "admission", "kubernetes");
        assertThat(Stream.of(namespaces).flatMap(List::stream).collect(Collectors.toMap(Function.identity(), n -> 1)))
                .hasSize(5);
    }
}
