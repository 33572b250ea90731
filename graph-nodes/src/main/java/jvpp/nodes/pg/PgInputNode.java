package jvpp.nodes.pg;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code pg-input}: the packet generator's input node. Each poll, every enabled stream of this thread
 * allocates up to a frame of buffers straight into its target node's frame and stamps its template into
 * them, within its limit and its rate.
 *
 * <p>Thread: each stream runs on one thread: its {@code worker <n>}, else the first worker, else main.
 */
public final class PgInputNode extends Node
{
    public static final String NAME = "pg-input";
    public static final int ERROR_NO_BUFFERS = 0;
    public static final List<String> ERRORS = List.of("buffer allocation failure");

    private final PacketGenerator pg;

    private PgInputNode(final PacketGenerator pg)
    {
        this.pg = pg;
    }

    static NodeRegistration registration(final PacketGenerator pg)
    {
        return NodeRegistration.input(NAME, List.of("error-drop"), ERRORS, () -> new PgInputNode(pg));
    }

    @Override
    protected void onAttach()
    {
        polling(false);
    }

    @Override
    public int poll()
    {
        final int thread = dispatcher().threadIndex();
        final PgStream[] streams = pg.streams();
        int produced = 0;
        boolean anyEnabled = false;
        for (int s = 0; s < streams.length; s++)
        {
            final PgStream stream = streams[s];
            if (stream.enabled && stream.thread == thread)
            {
                produced += run(stream);
                anyEnabled |= stream.enabled;
            }
        }
        if (!anyEnabled)
        {
            polling(false);
        }
        return produced;
    }

    private int run(final PgStream s)
    {
        long want = Frame.SIZE;
        if (s.limit > 0)
        {
            want = Math.min(want, s.limit - s.sent);
        }
        if (s.rate > 0)
        {
            final long now = System.nanoTime();
            if (s.lastNanos == 0)
            {
                s.lastNanos = now;
            }
            s.tokens = Math.min(s.tokens + (now - s.lastNanos) * s.rate * 1e-9, Frame.SIZE);
            s.lastNanos = now;
            want = Math.min(want, (long)s.tokens);
        }
        if (want <= 0)
        {
            return 0;
        }
        final Frame f = nextFrame(s.arc);
        final int room = Math.min((int)want, f.space());
        final int got = buffers.alloc(f.bufs, f.n, room);
        if (got < room)
        {
            count(ERROR_NO_BUFFERS, room - got);
        }
        final int[] bufs = f.bufs;
        final long bytes = s.fillFrame(mem, bufs, f.n, f.n + got, bStart, bLength, bRxIf, bTxIf, bOpaque);
        if (tracing())
        {
            for (int i = f.n, end = f.n + got; i < end; i++)
            {
                traceInput(bufs[i]);
            }
        }
        f.n += got;
        s.sent += got;
        s.tokens -= got;
        if (s.rxIf != 0)
        {
            // A stream without `interface' receives on local0, which counts nothing (VPP's pg0 would).
            ifCounters().addPackets(s.rxIf, InterfaceCounters.RX_PACKETS, got, bytes);
        }
        if (s.limit > 0 && s.sent >= s.limit)
        {
            s.enabled = false;
        }
        return got;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        out.append("  stream ").append(pg.streamName(record.opaque())).append(", ").append(record.length())
            .append(" bytes, sw_if_index ").append(record.rxIf()).append('\n');
        record.hexdump(out, 64);
    }
}
