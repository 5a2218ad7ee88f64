package io.otaedge.edge.download;

import io.otaedge.common.token.TokenGrant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Representation headers are the same for every request of one firmware, so they are computed
 * once (digest encoding, file-name quoting, date formatting) and reused. Bounded: the map is
 * simply cleared when it grows past its limit, since it refills in one request per firmware.
 */
final class Representations {

    private static final int MAX = 1024;
    private static final Map<Key, Representation> CACHE = new ConcurrentHashMap<>();

    private Representations() {
    }

    static Representation of(TokenGrant grant, long lastModified) {
        Key key = new Key(grant.sha256(), grant.md5(), grant.fileName(), lastModified);
        Representation r = CACHE.get(key);
        if (r == null) {
            if (CACHE.size() >= MAX) {
                CACHE.clear();
            }
            r = new Representation(grant, lastModified);
            CACHE.put(key, r);
        }
        return r;
    }

    private record Key(String sha256, String md5, String fileName, long lastModified) {
    }
}
