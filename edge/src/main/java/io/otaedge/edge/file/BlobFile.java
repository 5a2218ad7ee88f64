package io.otaedge.edge.file;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One open blob file shared by the regions of a response. Reference counted: the opener holds one
 * reference, every {@link #region} another; the file closes when the last region has been written
 * (or dropped by a failed write), so a multi-part answer opens the file once and nothing leaks
 * when a client disconnects halfway.
 */
public final class BlobFile extends AbstractReferenceCounted {

    private final FileChannel channel;
    private final long size;
    private final long lastModified;

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
