package io.otaedge.edge.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenBlobCacheTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsReusedWithinTheTtlAndClosedWhenTheLastHolderLetsGo() throws Exception {
        Path p = Files.write(dir.resolve("blob"), new byte[123]);
        OpenBlobCache cache = new OpenBlobCache(Duration.ofMinutes(1), 16);
        BlobFile a = cache.open("k", p);
        BlobFile b = cache.open("k", p);
        assertThat(b).isSameAs(a);
        assertThat(a.size()).isEqualTo(123);
        assertThat(a.refCnt()).isEqualTo(3); // cache + two callers
        a.release();
        b.release();
        cache.close();
        assertThat(a.refCnt()).isZero();
    }

    @Test
    void expiredEntriesAreReopened() throws Exception {
        Path p = Files.write(dir.resolve("blob"), new byte[1]);
        OpenBlobCache cache = new OpenBlobCache(Duration.ofNanos(1), 16);
        BlobFile a = cache.open("k", p);
        a.release();
        BlobFile b = cache.open("k", p);
        assertThat(b).isNotSameAs(a);
        assertThat(a.refCnt()).isZero();
        b.release();
        cache.close();
    }

    @Test
    void invalidatedEntriesAreDropped() throws Exception {
        Path p = Files.write(dir.resolve("blob"), new byte[1]);
        OpenBlobCache cache = new OpenBlobCache(Duration.ofMinutes(1), 16);
        BlobFile a = cache.open("k", p);
        cache.invalidate("k");
        assertThat(a.refCnt()).isEqualTo(1);
        a.release();
        assertThat(a.refCnt()).isZero();
    }

    @Test
    void regionsKeepTheFileOpenUntilReleased() throws Exception {
        Path p = Files.write(dir.resolve("blob"), new byte[100]);
        OpenBlobCache cache = new OpenBlobCache(Duration.ZERO, 16);
        BlobFile f = cache.open("k", p);
        var region = f.region(10, 20);
        f.release();
        assertThat(f.refCnt()).isEqualTo(1);
        assertThat(region.count()).isEqualTo(20);
        region.release();
        assertThat(f.refCnt()).isZero();
    }
}
