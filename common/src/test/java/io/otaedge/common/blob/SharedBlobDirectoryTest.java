package io.otaedge.common.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One blob directory, several writers at once: two controls on a ReadWriteMany volume (each with
 * its own {@link BlobStore}), and edges started on control's directory. Whatever the interleaving,
 * what lies under a sha256 is the whole content with that sha256, and a store's clean-up at start
 * removes only temp files whose writer is gone: here a second process really holds one, and is
 * then killed with SIGKILL.
 */
class SharedBlobDirectoryTest {

    private static final int SIZE = 4 << 20;
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void twoStoresWritingTheSameContentAtOnceLeaveOneWholeBlobThatReadersOnlySeeWhole() throws Exception {
        BlobStore a = new BlobStore(dir);
        BlobStore b = new BlobStore(dir);
        byte[] content = random(SIZE, 1);
        String sha = sha256(content);
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<Integer> wholeReads = pool.submit(readsOf(a.pathOf(sha), sha, writing));

        List<BlobInfo> infos = writeAllAtOnce(List.of(a, b, a, b, a, b), List.of(content, content, content, content, content, content));
        writing.set(false);

        assertThat(infos).allSatisfy(i -> assertThat(i.sha256()).isEqualTo(sha));
        assertThat(sha256(Files.readAllBytes(b.pathOf(sha)))).isEqualTo(sha);
        assertThat(wholeReads.get(30, TimeUnit.SECONDS)).as("reads that found the blob, each of them whole").isPositive();
        assertThat(tempFiles()).isZero();
    }

    @Test
    void twoStoresWritingDifferentContentsAtOnceEachPublishTheirOwnBytes() throws Exception {
        BlobStore a = new BlobStore(dir);
        BlobStore b = new BlobStore(dir);
        List<byte[]> contents = List.of(random(SIZE, 2), random(SIZE, 3), random(SIZE, 4), random(SIZE, 5));

        List<BlobInfo> infos = writeAllAtOnce(List.of(a, b, a, b), contents);

        for (int i = 0; i < contents.size(); i++) {
            String sha = sha256(contents.get(i));
            assertThat(infos.get(i).sha256()).isEqualTo(sha);
            assertThat(infos.get(i).size()).isEqualTo(SIZE);
            assertThat(sha256(Files.readAllBytes(a.pathOf(sha)))).as("blob %d as served", i).isEqualTo(sha);
        }
        assertThat(tempFiles()).isZero();
    }

    @Test
    void aStoreStartingWhileThisProcessWritesLeavesTheUploadAlone() throws Exception {
        BlobStore first = new BlobStore(dir);
        byte[] content = random(SIZE, 6);
        try (BlobWriter w = first.newWriter(SIZE)) {
            w.write(ByteBuffer.wrap(content, 0, SIZE / 2));
            ageTempFiles();        // as old as an orphan: only the writer's registration protects it

            new BlobStore(dir);    // an edge or a second control starting on the same directory

            w.write(ByteBuffer.wrap(content, SIZE / 2, SIZE / 2));
            BlobInfo info = w.commit();
            assertThat(sha256(Files.readAllBytes(first.pathOf(info.sha256())))).isEqualTo(sha256(content));
        }
    }

    @Test
    void anotherProcesssUploadIsKeptWhileItRunsAndRemovedOnceItIsKilled() throws Exception {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), HoldingWriter.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("writing")) {
                // the child's log lines
            }
            assertThat(line).as("the writer process got going").isEqualTo("writing");
            BlobStore second = new BlobStore(dir);
            assertThat(tempFiles()).as("the live upload's temp file").isEqualTo(1);

            writer.destroyForcibly();          // SIGKILL: no clean-up of its own
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.removeOrphanedTempFiles(BlobStore.ORPHAN_AGE)).isEqualTo(1);
            assertThat(tempFiles()).isZero();
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void aTempFileWhoseWriterIsGoneIsRemovedAtTheNextStartWhateverItsAge() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Files.write(dir.resolve("tmp").resolve("upload-killed.part"), new byte[100]);

        new BlobStore(dir);
        assertThat(tempFiles()).isZero();
    }

    @Test
    void aRecentEmptyTempFileWithoutALockIsKeptAsItMayBeAWriterAboutToLockIt() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Files.write(dir.resolve("tmp").resolve("upload-starting.part"), new byte[0]);

        BlobStore store = new BlobStore(dir);
        assertThat(tempFiles()).isEqualTo(1);

        ageTempFiles();
        assertThat(store.removeOrphanedTempFiles(BlobStore.ORPHAN_AGE)).isEqualTo(1);
        assertThat(tempFiles()).isZero();
    }

    /** Each content through its store, all started at one moment, written in chunks so that they interleave. */
    private List<BlobInfo> writeAllAtOnce(List<BlobStore> stores, List<byte[]> contents) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BlobInfo>> done = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            BlobStore store = stores.get(i);
            byte[] content = contents.get(i);
            done.add(pool.submit(() -> {
                go.await();
                try (BlobWriter w = store.newWriter(content.length)) {
                    for (int off = 0; off < content.length; off += CHUNK) {
                        w.write(ByteBuffer.wrap(content, off, Math.min(CHUNK, content.length - off)));
                        Thread.yield();
                    }
                    return w.commit();
                }
            }));
        }
        go.countDown();
        List<BlobInfo> infos = new ArrayList<>();
        for (Future<BlobInfo> f : done) {
            infos.add(f.get(60, TimeUnit.SECONDS));
        }
        return infos;
    }

    /** Reads the blob whenever it is there while {@code writing}; fails on any read that is not the whole content. */
    private static Callable<Integer> readsOf(Path blob, String sha, AtomicBoolean writing) {
        return () -> {
            AtomicInteger whole = new AtomicInteger();
            boolean last = false;
            while (writing.get() || !last) {
                last = !writing.get();
                byte[] seen;
                try {
                    seen = Files.readAllBytes(blob);
                } catch (NoSuchFileException notYet) {
                    Thread.onSpinWait();
                    continue;
                }
                assertThat(sha256(seen)).as("a read of the published blob (%d bytes)", seen.length).isEqualTo(sha);
                whole.incrementAndGet();
            }
            return whole.get();
        };
    }

    private void ageTempFiles() throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(BlobStore.ORPHAN_AGE).minus(Duration.ofMinutes(1)));
        try (Stream<Path> parts = Files.list(dir.resolve("tmp"))) {
            for (Path p : parts.toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    private long tempFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
            return files.count();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
