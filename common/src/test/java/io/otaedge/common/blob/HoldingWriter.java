package io.otaedge.common.blob;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A process in the middle of an upload, for {@link SharedBlobDirectoryTest}: opens a writer on the
 * directory given, writes some bytes, says {@code writing} and then waits on stdin for ever, until
 * the test kills it (as a control killed mid-upload).
 */
public final class HoldingWriter {

    private HoldingWriter() {
    }

    public static void main(String[] args) throws Exception {
        BlobWriter writer = new BlobStore(Path.of(args[0])).newWriter(Long.MAX_VALUE);
        writer.write(ByteBuffer.wrap(new byte[64 * 1024]));
        System.out.println("writing");
        System.out.flush();
        while (System.in.read() >= 0) {
            // holds the writer (and the temp file's lock) until killed
        }
    }
}
