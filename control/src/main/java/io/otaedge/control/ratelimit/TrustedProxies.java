package io.otaedge.control.ratelimit;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers allowed to say who the client is: an edge forwarding OneNET's device calls, a load balancer.
 * For a request from one of them, the client is the right-most {@code X-Forwarded-For} entry that is not
 * itself trusted (entries further left are whatever the device claimed); for anyone else, the socket's peer.
 * Only IP literals are read: nothing here resolves a name.
 */
public final class TrustedProxies {

    static final String LOOPBACK = "127.0.0.0/8,::1";
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** {@code "10.0.0.0/8, 192.168.1.7, ::1"}; {@code none} (or empty) = trust nobody. */
    public static TrustedProxies parse(String list) {
        List<Block> blocks = new ArrayList<>();
        if (list.trim().equalsIgnoreCase("none")) {
            return new TrustedProxies(List.of());
        }
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int slash = p.indexOf('/');
            byte[] address = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? p : p.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("not an IP address: " + p);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(p.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length: " + p);
                }
            }
            blocks.add(new Block(address, bits));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    public boolean trusts(InetAddress address) {
        byte[] raw = address.getAddress();
        for (Block b : blocks) {
            if (b.contains(raw)) {
                return true;
            }
        }
        return false;
    }

    /** The client's address: the peer's, or what a trusted peer forwarded; null when the peer is not an IP socket. */
    public InetAddress client(SocketAddress peer, String forwardedFor) {
        if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return null;
        }
        InetAddress address = socket.getAddress();
        if (forwardedFor == null || !trusts(address)) {
            return address;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = literal(hops[i]);
            if (hop == null) {
                return address; // garbage in the chain: what we know for sure is the peer
            }
            if (!trusts(hop)) {
                return hop;
            }
            address = hop;
        }
        return address;
    }

    /** The last hop of a forwarded chain, for callers trusted by a shared secret instead of by address; null if none. */
    public static InetAddress lastHop(String forwardedFor) {
        if (forwardedFor == null) {
            return null;
        }
        return literal(forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1));
    }

    private static InetAddress literal(String s) {
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        return NetUtil.createInetAddressFromIpAddressString(t);
    }
}
