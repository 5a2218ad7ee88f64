package io.otaedge.cli.command;

import java.io.PrintWriter;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The upload's progress bar on standard error. On a terminal the bar redraws in place; asked for without one
 * ({@code --progress}), it writes a plain ASCII line per second, which logs keep. Off: counts nothing.
 */
final class UploadProgress implements LongConsumer, AutoCloseable {

    private static final int MIB = 1 << 20;

    private final ProgressBar bar;

    private UploadProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** {@code wanted} null: a bar only on a terminal. */
    static UploadProgress open(Boolean wanted, long size, String name, PrintWriter err) {
        boolean terminal = System.console() != null;
        if (!(wanted == null ? terminal : wanted)) {
            return new UploadProgress(null);
        }
        ProgressBarBuilder b = ProgressBar.builder().setTaskName("upload " + name).setInitialMax(size)
                .setUnit(" MiB", MIB).showSpeed();
        if (!terminal) {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setConsumer(new DelegatingProgressBarConsumer(line -> {
                err.println(line.strip());
                err.flush();
            }, 100));
        }
        return new UploadProgress(b.build());
    }

    @Override
    public void accept(long sent) {
        if (bar != null) {
            bar.stepTo(sent);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
