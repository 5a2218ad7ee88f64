package io.otaedge.conformance.luatos;

import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A simulated board's network: every request of its fota library goes to the edge (as a DNS entry for
 * the URL's host would send it, e.g. {@code iot.openluat.com}), framed by {@link LuatHttpClient} and read
 * back as its fota mode reads. The exchanges are kept for the test's own assertions.
 */
final class EdgeLink implements Function<LuaDevice.Call, LuatHttpClient.FotaRead> {

    record Exchange(String request, RawResponse response, LuatHttpClient.FotaRead read) {
    }

    private final int edgePort;
    private final List<Exchange> exchanges = new ArrayList<>();
    private int cutAfter = -1;

    EdgeLink(int edgePort) {
        this.edgePort = edgePort;
    }

    /** The next answer's link drops after {@code bodyBytes} bytes of its body. */
    EdgeLink cutNextAfter(int bodyBytes) {
        cutAfter = bodyBytes;
        return this;
    }

    List<Exchange> exchanges() {
        return exchanges;
    }

    Exchange last() {
        return exchanges.get(exchanges.size() - 1);
    }

    @Override
    public LuatHttpClient.FotaRead apply(LuaDevice.Call call) {
        if (!call.mode().equals("fota") || !call.headers().isEmpty()) {
            throw new IllegalArgumentException("only fota mode without extra headers is replayed: " + call);
        }
        byte[] request = LuatHttpClient.luaRequest(call.method(), LuatHttpClient.Target.of(call.url()), -1);
        try {
            RawResponse r = cutAfter >= 0 ? RawHttp.exchangeCut(edgePort, request, cutAfter) : RawHttp.exchange(edgePort, request);
            cutAfter = -1;
            LuatHttpClient.FotaRead read = LuatHttpClient.readAsFota(r);
            exchanges.add(new Exchange(new String(request, StandardCharsets.ISO_8859_1), r, read));
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
