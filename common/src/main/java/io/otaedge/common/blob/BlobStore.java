package io.otaedge.common.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Content-addressed firmware blobs on local disk: {@code <root>/<aa>/<sha256>}. Blobs are written
 * once, through {@link BlobWriter} (temp file, fsync, atomic rename), so a reader never sees a
 * half-written file and a crash leaves at most a stray temp file, removed at the next start.
 */
public final class BlobStore {


    private final Path root;
    private final Path tmp;

    public BlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
            removeStrayTempFiles();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use blob directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    public static boolean isSha256(String s) {
        // A plain loop, not a regex: the edge asks this on every download request.
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Where the blob with this sha256 lives (whether or not it exists yet). */
    public Path pathOf(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean contains(String sha256) {
        return isSha256(sha256) && Files.isRegularFile(pathOf(sha256));
    }

    /** Starts a new blob; the caller streams bytes into it and then commits or aborts. */
    public BlobWriter newWriter(long maxSize) {
        try {
            return new BlobWriter(this, Files.createTempFile(tmp, "upload-", ".part"), maxSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp file in " + tmp, e);
        }
    }

    private void removeStrayTempFiles() throws IOException {
        try (DirectoryStream<Path> stray = Files.newDirectoryStream(tmp, "*.part")) {
            for (Path p : stray) {
                Files.deleteIfExists(p);
            }
        }
    }
}
