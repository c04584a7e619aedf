package dev.rtfs.microvm.egresspolicy.dlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** The wrappings an agent can put around a secret (test side: written with JDK encoders, not the DLP's decoders). */
enum Wrappings {
    BASE64(s -> Base64.getEncoder().encodeToString(bytes(s))),
    BASE64URL(s -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(s))),
    HEX(s -> HexFormat.of().formatHex(bytes(s))),
    HEX_UPPER(s -> HexFormat.of().withUpperCase().formatHex(bytes(s))),
    PERCENT_TWICE(s -> percentAll(percentAll(s))),
    JSON_ESCAPE(s -> {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
        return b.toString();
    }),
    ZERO_WIDTH(s -> {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            b.append(s.charAt(i));
            if (i % 3 == 1) {
                b.append(i % 2 == 0 ? '\u200b' : '\u2060');
            }
        }
        return b.toString();
    }),
    QUOTED_PRINTABLE(s -> {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes(s)) {
            b.append(String.format("=%02X", x & 0xFF));
        }
        return b.toString();
    });

    final UnaryOperator<String> wrap;

    Wrappings(UnaryOperator<String> wrap) {
        this.wrap = wrap;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String percentAll(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes(s)) {
            b.append(String.format("%%%02X", x & 0xFF));
        }
        return b.toString();
    }

    static byte[] gzip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
