package io.otaedge.control.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Rewrites every response header name to canonical case ({@code content-length} → {@code Content-Length})
 * just before the HTTP encoder. Netty keeps names as they are set, but reactor-netty sets some itself
 * in lowercase (its {@code connection: close}, its own {@code content-length}), and some device SDKs
 * compare names case-sensitively (PROTOCOLS.md, rule 3).
 */
@ChannelHandler.Sharable
public final class CanonicalHeaderCase extends ChannelOutboundHandlerAdapter {

    public static final CanonicalHeaderCase INSTANCE = new CanonicalHeaderCase();

    private CanonicalHeaderCase() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            canonicalize(response.headers());
        }
        ctx.write(msg, promise);
    }

    static void canonicalize(HttpHeaders headers) {
        boolean needed = false;
        for (Map.Entry<String, String> e : headers) {
            if (!e.getKey().equals(canonical(e.getKey()))) {
                needed = true;
                break;
            }
        }
        if (!needed) {
            return;
        }
        List<Map.Entry<String, String>> entries = headers.entries();
        headers.clear();
        for (Map.Entry<String, String> e : entries) {
            headers.add(canonical(e.getKey()), e.getValue());
        }
    }

    /** Each dash-separated word capitalised, the rest lowercase: {@code www-authenticate} → {@code Www-Authenticate}. */
    static String canonical(String name) {
        if (name.equalsIgnoreCase("WWW-Authenticate")) {
            return "WWW-Authenticate";
        }
        if (name.equalsIgnoreCase("ETag")) {
            return "ETag";
        }
        char[] c = name.toCharArray();
        boolean start = true;
        for (int i = 0; i < c.length; i++) {
            c[i] = start ? Character.toUpperCase(c[i]) : Character.toLowerCase(c[i]);
            start = c[i] == '-';
        }
        return new String(c);
    }
}
