package io.otaedge.edge.exchange;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AttributeKey;

/**
 * The one record of a connection's exchanges, in a channel attribute that every handler reads: the
 * requests not yet answered, oldest first, each with its arrival time, and where the oldest one is.
 * The codec keeps the queue (a request is added when decoded, marked received at its end, removed
 * when the end of its response is written); the download handler marks the answer it works on
 * ({@link #start}, {@link #end}); the keep-alive handler sets that answer's {@link Disposition}.
 * Responses leave strictly in request order, which is what lets one record serve them all.
 *
 * <p>Event-loop only, no locking. Arrays grow by doubling from four entries up to {@link #CAPACITY}
 * (the codec refuses more), so a connection that never pipelines costs two small arrays.
 */
public final class Exchanges {

    /** Most unanswered requests a connection may have; the codec fails the connection beyond. */
    public static final int CAPACITY = 128;

    private static final AttributeKey<Exchanges> KEY = AttributeKey.valueOf(Exchanges.class, "exchanges");

    private HttpRequest[] requests = new HttpRequest[4];
    private long[] arrivals = new long[4];
    private int first;
    private int size;
    /** How many of the oldest requests have been received to their end. */
    private int received;
    private boolean answering;
    private boolean inputEnded;
    private Disposition connection = Disposition.KEEP_ALIVE;
    /** The device the answer in progress is for, when its grant named one (for the access log). */
    private String device;

    /** The record of {@code ch}, made on first use. */
    public static Exchanges of(Channel ch) {
        Exchanges e = ch.attr(KEY).get();
        if (e == null) {
            e = new Exchanges();
            Exchanges raced = ch.attr(KEY).setIfAbsent(e);
            if (raced != null) {
                e = raced;
            }
        }
        return e;
    }

    // ---- kept by the codec ----

    /** A request head was decoded at {@code nanoTime}. */
    public void arrived(HttpRequest request, long nanoTime) {
        if (size == CAPACITY) {
            throw new IllegalStateException("more than " + CAPACITY + " unanswered requests");
        }
        if (size == requests.length) {
            grow();
        }
        int at = index(size);
        requests[at] = request;
        arrivals[at] = nanoTime;
        size++;
    }

    /** The newest request has been received to its end (or failed so that nothing of it follows). */
    public void received() {
        if (received < size) {
            received++;
        }
    }

    /** The decoder failed: no request follows those already recorded. */
    public void inputEnded() {
        inputEnded = true;
    }

    /** The end of the oldest request's response was written: it leaves the record. */
    public void responded() {
        if (size == 0) {
            return;
        }
        requests[first] = null;
        first = index(1);
        size--;
        if (received > 0) {
            received--;
        }
    }

    // ---- read by every handler ----

    /** Requests not yet answered to their end, the one being answered included. */
    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == CAPACITY;
    }

    /** The oldest unanswered request, or null. */
    public HttpRequest oldest() {
        return size == 0 ? null : requests[first];
    }

    /** When the oldest unanswered request's head arrived (its executor's ticker), or {@code orElse}. */
    public long oldestArrival(long orElse) {
        return size == 0 ? orElse : arrivals[first];
    }

    /** Whether the oldest unanswered request is a HEAD; false when none waits. */
    public boolean oldestIsHead() {
        return size > 0 && HttpMethod.HEAD.equals(requests[first].method());
    }

    /** The oldest request, when it has been received to its end and is not yet being answered; else null. */
    public HttpRequest nextToAnswer() {
        return !answering && received > 0 ? requests[first] : null;
    }

    /** A request is being answered (from {@link #start} to {@link #end}). */
    public boolean answering() {
        return answering;
    }

    /** The decoder failed: nothing follows the requests recorded. */
    public boolean isInputEnded() {
        return inputEnded;
    }

    /**
     * What happens to the connection after the answer being built: the keep-alive handler's decision, or
     * a close when that answer is the connection's last (the decoder failed and no request follows it).
     * Read where the answer is built, also after a wait, since the failure may arrive meanwhile.
     */
    public Disposition connection() {
        return inputEnded && size <= 1 ? Disposition.CLOSE : connection;
    }

    // ---- marked by the handlers answering ----

    /** Replaces the newest request (a handler that read its body whole hands that one on instead). */
    public void replaceNewest(HttpRequest request) {
        if (size > 0) {
            requests[index(size - 1)] = request;
        }
    }

    /** The answer to {@link #oldest()} starts. */
    public void start() {
        answering = true;
        connection = Disposition.KEEP_ALIVE;
        device = null;
    }

    /** The answer in progress is for {@code deviceId} (its grant said so). */
    public void device(String deviceId) {
        this.device = deviceId;
    }

    /** The device the answer in progress is for; null when no grant named one (yet). */
    public String device() {
        return device;
    }

    /** What the keep-alive handler decided for the answer that started. */
    public void decide(Disposition connection) {
        this.connection = connection;
    }

    /** The answer's last write completed. */
    public void end() {
        answering = false;
    }

    private int index(int offset) {
        return (first + offset) & (requests.length - 1);
    }

    private void grow() {
        HttpRequest[] r = new HttpRequest[requests.length * 2];
        long[] a = new long[r.length];
        for (int i = 0; i < size; i++) {
            r[i] = requests[index(i)];
            a[i] = arrivals[index(i)];
        }
        requests = r;
        arrivals = a;
        first = 0;
    }
}
