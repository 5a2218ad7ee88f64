package io.otaedge.edge.file;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import io.otaedge.edge.logging.LogThrottle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open blob file shared by the bodies of responses. Reference counted: the opener holds one
 * reference, every {@link #region} another; the file closes when the last region has been written
 * (or dropped by a failed write), so a multi-part answer opens the file once and nothing leaks
 * when a client disconnects halfway.
 */
public final class BlobFile extends AbstractReferenceCounted {

    /**
     * Bodies up to this size are written from a read-only memory map of the file instead of by
     * sendfile: the response head and the bytes then leave in one {@code writev} and one TCP
     * segment, where sendfile costs a second syscall and a second segment; for the 512 B–1 KiB
     * ranges of NB-IoT devices that halves the per-request system work. Like sendfile, the bytes
     * go from the page cache to the socket without passing through the Java heap. Safe because
     * blobs are immutable and content-addressed: a mapped file is never truncated or rewritten.
     */
    public static final int MAPPED_BODY_MAX = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(BlobFile.class);
    private static final LogThrottle MAP_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final FileChannel channel;
    private final long size;
    private final long lastModified;
    /** The whole file, mapped on first use; a race maps it twice, harmlessly. */
    private volatile ByteBuffer mapped;

    private BlobFile(FileChannel channel, long size, long lastModified) {
        this.channel = channel;
        this.size = size;
        this.lastModified = lastModified;
    }

    /** Opens a blob for reading; the caller owns the returned reference. */
    public static BlobFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            return new BlobFile(ch, ch.size(), attrs.lastModifiedTime().toMillis());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public long size() {
        return size;
    }

    /** The file's modification time in epoch milliseconds: the {@code Last-Modified} validator. */
    public long lastModified() {
        return lastModified;
    }

    /**
     * The body {@code [position, position + count)} as something the transport writes without a
     * heap copy: a slice of the memory-mapped file for small bodies (see {@link #MAPPED_BODY_MAX}),
     * else a sendfile {@link #region}. The caller hands it to the channel, which releases it.
     */
    public Object body(long position, long count) {
        if (count <= MAPPED_BODY_MAX && size <= Integer.MAX_VALUE) {
            ByteBuffer map = mapped();
            if (map != null) {
                return Unpooled.wrappedBuffer(map.slice((int) position, (int) count));
            }
        }
        return region(position, count);
    }

    /**
     * Appends the bytes {@code [position, position + count)} to {@code dst} from the memory map:
     * for bodies small enough that one copy beside the response head costs less than a buffer of
     * their own. False (nothing written) when the file cannot be mapped.
     */
    public boolean copyTo(ByteBuf dst, long position, int count) {
        ByteBuffer map = size <= Integer.MAX_VALUE ? mapped() : null;
        if (map == null) {
            return false;
        }
        dst.writeBytes(map.slice((int) position, count));
        return true;
    }

    private ByteBuffer mapped() {
        ByteBuffer m = mapped;
        if (m == null) {
            try {
                m = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            } catch (IOException | RuntimeException e) {
                // Not expected of a local, immutable file: the process ran out of maps or address space, or the
                // file system cannot map. The device still gets its bytes by sendfile; the operator should know.
                if (MAP_LOG.allow()) {
                    log.warn("cannot memory-map a blob file of {} bytes; serving it with sendfile instead", size, e);
                }
                return null;
            }
            mapped = m;
        }
        return m;
    }

    /**
     * A sendfile-able region of this file. It holds its own reference to the file, handed over
     * with the region: whoever ends up owning the region (the transport once written) releases it.
     */
    public FileRegion region(long position, long count) {
        retain();
        return new Region(this, position, count);
    }

    /**
     * The same bytes as {@link #region}, read into buffers chunk by chunk: for TLS, which must
     * encrypt every byte in user space and so cannot use sendfile. Holds its own reference to the
     * file, released when the chunked writer closes it.
     */
    public ChunkedInput<ByteBuf> chunks(long position, long count, int chunkSize) {
        retain();
        try {
            return new Chunks(this, position, count, chunkSize);
        } catch (IOException | RuntimeException e) {
            release();
            throw new IllegalStateException("cannot read blob file", e);
        }
    }

    @Override
    protected void deallocate() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a read-only file: nothing to flush, nothing to lose
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }

    /** Chunks over the shared channel (positional reads) that release the file instead of closing it. */
    private static final class Chunks extends ChunkedNioFile {
        private final BlobFile file;
        private boolean closed;

        Chunks(BlobFile file, long position, long count, int chunkSize) throws IOException {
            super(file.channel, position, count, chunkSize);
            this.file = file;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                file.release();
            }
        }
    }

    /** A region over the shared channel that releases the file instead of closing it. */
    private static final class Region extends DefaultFileRegion {
        private final BlobFile file;

        Region(BlobFile file, long position, long count) {
            super(file.channel, position, count);
            this.file = file;
        }

        @Override
        protected void deallocate() {
            file.release();
        }
    }
}
