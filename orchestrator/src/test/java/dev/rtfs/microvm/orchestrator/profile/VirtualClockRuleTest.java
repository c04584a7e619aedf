package dev.rtfs.microvm.orchestrator.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.orchestrator.Plans;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The virtual clock is a function of the plan: start + step × 1000 + call; real time has none. */
class VirtualClockRuleTest {

    @Test
    void theVirtualClockIsStartPlusAThousandPerStepPlusOnePerCall() {
        StepProfile.DeterminismProfile d =
                new StepProfile.DeterminismProfile("deterministic", "real", Optional.empty(), OptionalLong.of(5_000));
        assertThat(d.virtualNowMs(0, 0)).hasValue(5_000);
        assertThat(d.virtualNowMs(0, 3)).hasValue(5_003);
        assertThat(d.virtualNowMs(2, 1)).hasValue(7_001);
        assertThat(d.virtualNowMs(1, 999).getAsLong()).isLessThan(d.virtualNowMs(2, 0).getAsLong());
    }

    @Test
    void realTimeHasNoVirtualClock() {
        StepProfile.DeterminismProfile d = new StepProfile.DeterminismProfile("real", "real", Optional.empty());
        assertThat(d.startMs()).isEmpty();
        assertThat(d.virtualNowMs(3, 4)).isEmpty();
    }

    @Test
    void everyStepOfADeterministicPlanCarriesThePlansStart() {
        List<StepProfile> profiles = Plans.admit("""
                (plan ^{:effects [:clock] :determinism {:time {:start_ms 42000}}}
                  :program (do (step "a" (call :clock.now {})) (step "b" (call :clock.now {}))))
                """).profiles();
        assertThat(profiles).hasSize(2);
        assertThat(profiles).extracting(p -> p.determinism().startMs()).containsOnly(OptionalLong.of(42_000));
        assertThat(profiles.get(1).determinism().virtualNowMs(profiles.get(1).index(), 0)).hasValue(43_000);
    }
}
