package io.otaedge.common.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void committedBlobIsAddressedBySha256WithMd5AndSize() throws Exception {
        BlobStore store = new BlobStore(dir);
        BlobWriter w = store.newWriter(1024);
        w.write(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
        w.write(ByteBuffer.wrap("world".getBytes(StandardCharsets.US_ASCII)));
        BlobInfo info = w.commit();
        assertThat(info.size()).isEqualTo(11);
        assertThat(info.md5()).isEqualTo("5eb63bbbe01eeed093cb22bb8f5acdc3");
        assertThat(info.sha256()).isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assertThat(store.contains(info.sha256())).isTrue();
        assertThat(Files.readString(store.pathOf(info.sha256()))).isEqualTo("hello world");
        assertThat(tempFiles()).isZero();
    }

    @Test
    void duplicateContentReusesTheBlob() throws Exception {
        BlobStore store = new BlobStore(dir);
        BlobInfo a = writeAll(store, "same bytes");
        BlobInfo b = writeAll(store, "same bytes");
        assertThat(b).isEqualTo(a);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void oversizedUploadIsRefusedAndLeavesNothing() throws Exception {
        BlobStore store = new BlobStore(dir);
        BlobWriter w = store.newWriter(4);
        assertThatThrownBy(() -> w.write(ByteBuffer.wrap(new byte[5]))).isInstanceOf(BlobTooLargeException.class);
        w.abort();
        assertThat(tempFiles()).isZero();
    }

    @Test
    void strayTempFilesFromACrashAreRemovedAtStart() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Path stray = dir.resolve("tmp").resolve("upload-1.part");
        Files.writeString(stray, "half");
        // Just written, and no process holds its lock: its writer is gone (SharedBlobDirectoryTest: the guards).
        new BlobStore(dir);
        assertThat(tempFiles()).isZero();
    }

    @Test
    void onlyLowercaseHexSha256IsAnAddress() {
        BlobStore store = new BlobStore(dir);
        assertThat(store.contains("../../etc/passwd")).isFalse();
        assertThatThrownBy(() -> store.pathOf("ABC")).isInstanceOf(IllegalArgumentException.class);
    }

    private static BlobInfo writeAll(BlobStore store, String s) throws Exception {
        BlobWriter w = store.newWriter(1024);
        w.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
        return w.commit();
    }

    private long tempFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
            return files.count();
        }
    }
}
