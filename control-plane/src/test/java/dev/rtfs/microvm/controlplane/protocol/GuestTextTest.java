package dev.rtfs.microvm.controlplane.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Guest text shown in a log line or on a terminal: controls, C1, bidi and other format characters, line separators
 * and lone surrogates are escaped. (cli's PrintableTextTwinsTest proves the same on the twin PrintableText.)
 */
class GuestTextTest {

    @Test
    void lineSeparatorsLoneSurrogatesAndSupplementaryFormatCharactersAreEscaped() {
        assertThat(GuestText.printable("a\u2028forged\u2029b")).isEqualTo("a\\u2028forged\\u2029b");
        assertThat(GuestText.printable("lone \ud800")).isEqualTo("lone \\ud800");
        assertThat(GuestText.printable("tag \udb40\udc01")).isEqualTo("tag \\udb40\\udc01");
        assertThat(GuestText.printable("\u009b31m\u202e\u2066\u200f\u061c")).isEqualTo("\\u009b31m\\u202e\\u2066\\u200f\\u061c");
        assertThat(GuestText.printable("ok é 😀")).isEqualTo("ok é 😀");
    }

    @Test
    void abbreviationNeverCutsAnEscapeInHalf() {
        assertThat(GuestText.abbreviated("ab\u202ecd", 5)).isEqualTo("ab…");
        assertThat(GuestText.abbreviated("ab\u202ecd", 8)).isEqualTo("ab\\u202e…");
    }
}
