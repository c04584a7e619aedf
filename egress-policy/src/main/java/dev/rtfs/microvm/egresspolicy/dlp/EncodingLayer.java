package dev.rtfs.microvm.egresspolicy.dlp;

/** One wrapping an agent can put around a secret, undone by the DLP before matching; its name appears in findings. */
enum EncodingLayer {
    PERCENT("percent"),
    BASE64("base64"),
    BASE64URL("base64url"),
    HEX("hex"),
    JSON_ESCAPE("json-escape"),
    QUOTED_PRINTABLE("quoted-printable"),
    INVISIBLE("invisible"),
    GZIP("gzip"),
    DEFLATE("deflate");

    private final String label;

    EncodingLayer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
