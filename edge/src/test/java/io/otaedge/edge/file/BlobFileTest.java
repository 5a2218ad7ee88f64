package io.otaedge.edge.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.FileRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobFileTest {

    @TempDir
    Path dir;

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void smallBodiesAreSlicesOfTheMappedFileWithTheRightBytes() throws Exception {
        byte[] content = bytes(300_000);
        Path p = Files.write(dir.resolve("blob"), content);
        BlobFile f = BlobFile.open(p);
        try {
            Object body = f.body(123_456, 1024);
            assertThat(body).isInstanceOf(ByteBuf.class);
            ByteBuf buf = (ByteBuf) body;
            assertThat(buf.isDirect()).as("mapped, not a heap copy").isTrue();
            assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(Arrays.copyOfRange(content, 123_456, 123_456 + 1024));
            buf.release();

            ByteBuf last = (ByteBuf) f.body(content.length - BlobFile.MAPPED_BODY_MAX, BlobFile.MAPPED_BODY_MAX);
            assertThat(ByteBufUtil.getBytes(last))
                    .isEqualTo(Arrays.copyOfRange(content, content.length - BlobFile.MAPPED_BODY_MAX, content.length));
            last.release();
        } finally {
            f.release();
        }
    }

    @Test
    void largerBodiesAreSendfileRegionsThatKeepTheFileOpenUntilWritten() throws Exception {
        Path p = Files.write(dir.resolve("blob"), bytes(300_000));
        BlobFile f = BlobFile.open(p);
        Object body = f.body(0, BlobFile.MAPPED_BODY_MAX + 1);
        assertThat(body).isInstanceOf(FileRegion.class);
        FileRegion region = (FileRegion) body;
        assertThat(region.position()).isZero();
        assertThat(region.count()).isEqualTo(BlobFile.MAPPED_BODY_MAX + 1);
        f.release();
        assertThat(f.refCnt()).as("the region still holds the file").isEqualTo(1);
        region.release();
        assertThat(f.refCnt()).isZero();
    }
}
