package jvpp.core.graph;

import java.util.List;

import jvpp.core.iface.InterfaceCounters;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code error-drop}: the end of every dropped packet. It lives in core because it completes core's error
 * mechanism ({@link Node#drop}, the {@link Graph} error table): every module's nodes drop through it. Counts the reason the dropping node left in the
 * buffer ({@code show errors}), counts a drop on the receive interface, and frees the buffer.
 *
 * <p>Thread: any thread running the graph.
 */
public final class ErrorDropNode extends Node
{
    public static final String NAME = "error-drop";

    private final InterfaceTable interfaces;

    private ErrorDropNode(final InterfaceTable interfaces)
    {
        this.interfaces = interfaces;
    }

    public static NodeRegistration registration(final jvpp.core.Jvpp vpp)
    {
        return NodeRegistration.internal(NAME, List.of(), List.of(), () -> new ErrorDropNode(vpp.interfaces()));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] error = pool.error;
        final int[] rx = bRxIf;
        final InterfaceCounters counters = ifCounters();
        final jvpp.core.pcap.PcapCapture pcap = dispatcher().graph().pcap();
        final boolean capture = (pcap.kinds() & jvpp.core.pcap.PcapCapture.DROP) != 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            if (capture && pcap.wants(jvpp.core.pcap.PcapCapture.DROP, rx[bi]))
            {
                pcap.capture(pool, bi, error[bi]);
            }
            countGlobal(error[bi], 1);
            counters.add(rx[bi], InterfaceCounters.DROPS, 1);
        }
        buffers.free(bufs, 0, n);
        return n;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        final int e = record.error();
        out.append("  rx:").append(interfaces.name(record.rxIf())).append('\n');
        out.append("  ").append(dispatcher().graph().errorNode(e)).append(": ").append(dispatcher().graph().errorReason(e));
    }
}
