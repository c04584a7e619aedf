package dev.rtfs.microvm.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.profile.StepProfileJson;
import org.junit.jupiter.api.Test;

/** The plan of DESIGN §6 is admitted and its first step yields exactly the contract's JSON. */
class ContractExampleTest {

    static final String PLAN = """
            (plan
              ^{:effects [[:network {:domains ["api.example.com"] :methods [:GET]}]
                          [:fs {:paths ["/tmp/agent/out"] :modes [:write]}]]
                :resources {:max_time_ms 30000}
                :determinism {:time :deterministic :random {:seed "0x2a"}}}
              :program
              (do
                (step "Fetch" ^{:effects [[:network {:domains ["api.example.com"] :methods [:GET]}]]}
                  (call :http.get {:url "http://api.example.com/items"}))
                (step "Store" ^{:effects [[:fs {:paths ["/tmp/agent/out"] :modes [:write]}]]}
                  (call :fs.write {:path "/tmp/agent/out/items.json" :content "…"}))))
            """;

    @Test
    void designExamplePlanGivesTheContractJson() {
        AdmissionResult r = Plans.admit(PLAN);
        assertThat(r.diagnostics()).as(Plans.describe(r.diagnostics())).isEmpty();
        assertThat(r.profiles()).hasSize(2);
        assertThat(StepProfileJson.write(r.profiles().get(0))).isEqualTo("""
                {"step":"Fetch","index":0,\
                "network_acl":{"allow_domains":["api.example.com"],"allow_methods":["GET"]},\
                "fs_policy":{"workdir":"/tmp/agent/steps/0","capabilities_mount":"ro","allowed_paths":[]},\
                "determinism":{"time":"deterministic","random":"real","seed":null},\
                "feature_gates":{"llm":false,"gpu":false},\
                "limits":{"max_time_ms":30000}}""");
        assertThat(StepProfileJson.write(r.profiles().get(1))).isEqualTo("""
                {"step":"Store","index":1,\
                "network_acl":{"allow_domains":[],"allow_methods":[]},\
                "fs_policy":{"workdir":"/tmp/agent/steps/1","capabilities_mount":"ro","allowed_paths":["/tmp/agent/out"]},\
                "determinism":{"time":"deterministic","random":"real","seed":null},\
                "feature_gates":{"llm":false,"gpu":false},\
                "limits":{"max_time_ms":30000}}""");
    }
}
