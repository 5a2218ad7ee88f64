package io.otaedge.common.progress;

/**
 * What the edges served one device for one task, as the control service reads it.
 *
 * @param bytes bytes served in total (ranges fetched twice count twice)
 * @param end   the highest byte offset served, exclusive: for a device that fetches its firmware in
 *              order, how far it has got
 */
public record ServedBytes(long bytes, long end) {

    public static final ServedBytes NONE = new ServedBytes(0, 0);

    /** How far the device has got, 0 to 100, judged by the highest offset served; 0 for an empty file. */
    public int percentOf(long size) {
        if (size <= 0 || end <= 0) {
            return 0;
        }
        return (int) Math.min(100, end * 100 / size);
    }
}
