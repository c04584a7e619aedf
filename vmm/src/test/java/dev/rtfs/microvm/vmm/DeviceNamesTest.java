package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeviceNamesTest {

    private static final String ID_FIRST = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String ID_REST = ID_FIRST + "._-";

    private static String randomAgentId(SplittableRandom random, int length) {
        StringBuilder b = new StringBuilder().append(ID_FIRST.charAt(random.nextInt(ID_FIRST.length())));
        while (b.length() < length) b.append(ID_REST.charAt(random.nextInt(ID_REST.length())));
        return b.toString();
    }

    private static long seed() {
        long seed = Long.getLong("rtfs.test.seed", System.nanoTime());
        System.out.println("DeviceNamesTest seed=" + seed + " (rerun with -Drtfs.test.seed=" + seed + ")");
        return seed;
    }

    @Test
    void tapNamesFitIfnamsizForEveryIdLengthAndAreUniqueOver10000Ids() {
        SplittableRandom random = new SplittableRandom(seed());
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        int attempt = 0;
        while (ids.size() < 10_000) {
            ids.add(randomAgentId(random, 1 + attempt++ % 63)); // every length 1..63, repeats of short ids dropped
        }
        Map<String, String> byTap = new HashMap<>();
        for (String id : ids) {
            String tap = DeviceNames.tapName(id);
            assertThat(tap.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(DeviceNames.MAX_TAP_NAME_BYTES);
            assertThat(tap).matches("rtv[a-z2-7]{12}");
            String previous = byTap.put(tap, id);
            assertThat(previous).as("tap collision on " + tap).isNull();
        }
        assertThat(byTap).hasSize(10_000);
    }

    @Test
    void namesAreDeterministicAndDifferPerAgent() {
        assertThat(DeviceNames.tapName("agent.demo")).isEqualTo(DeviceNames.tapName("agent.demo"))
                .isNotEqualTo(DeviceNames.tapName("agent.demo2"));
        assertThat(DeviceNames.guestMac("agent.demo")).isEqualTo(DeviceNames.guestMac("agent.demo"))
                .isNotEqualTo(DeviceNames.guestMac("agent.demo2"));
    }

    @Test
    void guestMacIsLocallyAdministeredUnicast() {
        SplittableRandom random = new SplittableRandom(seed());
        for (int i = 0; i < 1000; i++) {
            String mac = DeviceNames.guestMac(randomAgentId(random, 1 + random.nextInt(63)));
            assertThat(mac).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
            int first = HexFormat.fromHexDigits(mac.substring(0, 2));
            assertThat(first & 0x02).as("locally administered bit").isEqualTo(0x02);
            assertThat(first & 0x01).as("multicast bit").isZero();
        }
    }

    @Test
    void jailerIdsAreValidAndInjective() {
        assertThat(DeviceNames.jailerId("agent-1", 64)).isEqualTo("agent-1");
        assertThat(DeviceNames.jailerId("a.b", 64)).isNotEqualTo(DeviceNames.jailerId("a-b", 64))
                .isNotEqualTo(DeviceNames.jailerId("a_b", 64));
        // An id shaped like a mapped one is mapped too, so one agent cannot take another's jailer id (and chroot).
        String mapped = DeviceNames.jailerId("a.b", 64);
        assertThat(DeviceNames.jailerId(mapped, 64)).isNotEqualTo(mapped);
        // Ids are cut to the room the jailed socket path leaves, keeping the hash suffix.
        String longId = "a".repeat(63);
        assertThat(DeviceNames.jailerId(longId, 64)).isEqualTo(longId);
        assertThat(DeviceNames.jailerId(longId, 40)).hasSize(40).matches("a{31}-[0-9a-f]{8}");
        assertThat(DeviceNames.jailerId(longId, 40)).isNotEqualTo(DeviceNames.jailerId("a".repeat(62), 40));
        assertThat(DeviceNames.jailerId("x.y", 3)).matches("[0-9a-f]{8}");
        SplittableRandom random = new SplittableRandom(seed());
        for (int i = 0; i < 1000; i++) {
            int max = 8 + random.nextInt(57);
            assertThat(DeviceNames.jailerId(randomAgentId(random, 1 + random.nextInt(63)), max))
                    .matches("[A-Za-z0-9-]{1," + max + "}");
        }
    }
}
