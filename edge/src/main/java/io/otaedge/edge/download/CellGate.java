package io.otaedge.edge.download;

import io.netty.channel.Channel;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.cell.CellSlots;
import io.otaedge.edge.file.BlobFile;
import io.otaedge.edge.grant.GrantReceiver;
import io.otaedge.edge.route.OneNetQuery;
import io.otaedge.edge.wire.EdgeError;
import java.util.concurrent.RejectedExecutionException;

/**
 * The order of a download that names its NB-IoT cell ({@code s_id}) while the cell cap is on: its grant first (the
 * token lookup, cached on the edge; the grant carries the signal its device reported, so its band), then a slot of the
 * cell's pool for that band (one Redis script, answered on the event loop), then the bytes. One per connection, whose
 * requests are answered one at a time: for such a request it is the grant source's receiver, passing everything but
 * {@link #serve} on to the handler, and it holds the request's slot until {@link #settle}. A full pool is answered
 * {@link EdgeError#CELL_FULL} (and recorded under the grant's task by {@link CellSlots}).
 */
final class CellGate implements GrantReceiver {

    private final CellSlots slots;
    private final GrantReceiver handler;
    private final Channel channel;
    /** The cell the request being answered names. */
    private String cell;
    /** The slot the request being answered holds; null when none (yet). */
    private CellSlots.Lease lease;

    CellGate(CellSlots slots, GrantReceiver handler, Channel channel) {
        this.slots = slots;
        this.handler = handler;
        this.channel = channel;
    }

    /** True when the request's {@code query} names a cell: this gate is then its receiver until its answer ends. */
    boolean claims(String query) {
        cell = OneNetQuery.sid(query);
        return cell != null;
    }

    @Override
    public void resume(Runnable work) {
        handler.resume(work);
    }

    @Override
    public void refuse(EdgeError error) {
        handler.refuse(error);
    }

    @Override
    public void refuse(int status, String reason) {
        handler.refuse(status, reason);
    }

    /** The grant is known: the slot of its band is taken before the bytes go out; {@code blob} is ours meanwhile. */
    @Override
    public void serve(TokenGrant grant, BlobFile blob) {
        slots.acquire(cell, grant).thenAccept(taken -> {
            try {
                channel.eventLoop().execute(() -> admitted(grant, blob, taken));
            } catch (RejectedExecutionException shuttingDown) {
                giveBack(taken, blob);
            }
        });
    }

    /** On the event loop: a slot taken for a connection closed meanwhile goes back at once. */
    private void admitted(TokenGrant grant, BlobFile blob, CellSlots.Lease taken) {
        if (!channel.isActive()) {
            giveBack(taken, blob);
            return;
        }
        if (taken == null) {
            blob.release();
            handler.resume(() -> handler.refuse(EdgeError.CELL_FULL));
            return;
        }
        lease = taken;
        handler.resume(() -> handler.serve(grant, blob));
    }

    private static void giveBack(CellSlots.Lease taken, BlobFile blob) {
        if (taken != null) {
            taken.release();
        }
        blob.release();
    }

    /**
     * The request's answer ended ({@code written}: completely) or its connection closed: one that carried the file's
     * last byte shortens the slot to the tail, one that carried part of the file (or broke off while carrying it)
     * parks it for the download's next request, one that carried none (an error, a HEAD) gives it back.
     */
    void settle(ServedBody served, boolean written) {
        CellSlots.Lease l = lease;
        lease = null;
        if (l == null) {
            return;
        }
        if (!served.noted()) {
            l.release();
        } else if (written && served.reachesEnd()) {
            l.finish();
        } else {
            l.park();
        }
    }
}
