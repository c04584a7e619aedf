package dev.rtfs.microvm.egressproxy.server;

/** Pipeline names of the HTTP codec on an agent listener (removed when a CONNECT tunnel starts). */
final class HttpResponseEncoderName {
    static final String ENCODER = "http-encoder";
    static final String DECODER = "http-decoder";

    private HttpResponseEncoderName() {}
}
