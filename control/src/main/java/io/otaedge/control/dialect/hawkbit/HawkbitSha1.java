package io.otaedge.control.dialect.hawkbit;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A package with its SHA-1, which DDI clients require on every artifact (SWUpdate refuses one without
 * {@code hashes.sha1}). Uploads compute it; a package uploaded before that has none, and a task keeps a copy of
 * its package as it was. For such a package the stored record is asked first (another call may have filled it);
 * failing that, the blob is read once, off the event loop, its SHA-256 checked against the record, and the SHA-1
 * stored on the record, so every later call finds it. Concurrent calls for one package share the one read.
 */
final class HawkbitSha1 {

    private static final int BUFFER = 64 * 1024;

    private final FirmwareRepository firmwares;
    private final BlobStore blobs;
    private final ConcurrentHashMap<String, Mono<Firmware>> reading = new ConcurrentHashMap<>();

    HawkbitSha1(FirmwareRepository firmwares, BlobStore blobs) {
        this.firmwares = firmwares;
        this.blobs = blobs;
    }

    /** {@code pkg} with its SHA-1: as it is, from the stored record, or computed from the blob and stored. */
    Mono<Firmware> of(Firmware pkg) {
        if (pkg.sha1() != null) {
            return Mono.just(pkg);
        }
        return firmwares.find(pkg.productId(), pkg.id())
                .filter(stored -> stored.sha1() != null)
                .map(stored -> pkg.withSha1(stored.sha1()))
                .switchIfEmpty(Mono.defer(() -> shared(pkg)));
    }

    private Mono<Firmware> shared(Firmware pkg) {
        String key = pkg.productId() + "/" + pkg.id();
        return reading.computeIfAbsent(key, k -> Mono.fromCallable(() -> sha1(pkg))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sha1 -> firmwares.setSha1(pkg.productId(), pkg.id(), sha1).thenReturn(pkg.withSha1(sha1)))
                .doFinally(signal -> reading.remove(k))
                .cache());
    }

    /** The blob's SHA-1, read once; the SHA-256 of the same pass must be the record's, else the blob is not this package. */
    private String sha1(Firmware pkg) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(blobs.pathOf(pkg.sha256()))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha1.update(buf, 0, n);
                sha256.update(buf, 0, n);
            }
        }
        if (!HexFormat.of().formatHex(sha256.digest()).equals(pkg.sha256())) {
            throw new IOException("the blob of package " + pkg.id() + " does not match its sha256");
        }
        return HexFormat.of().formatHex(sha1.digest());
    }
}
