package jvpp.pmd.tap;

import java.util.Arrays;
import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.pcap.PcapCapture;

/**
 * {@code tap-output}: the one tx node of every tap interface ("interface-output hands tap-bound frames to
 * tap-output"). Each buffer goes to the {@link TapPort} of its {@code txIf}; runs of buffers for the same
 * port leave in one {@link TapPort#txBurst} on queue {@code threadIndex % txQueues}. What a port does not take
 * (queue full, device gone) and what is addressed to an interface that is no longer a tap is dropped under
 * its reason and counted as the interface's tx-error.
 *
 * <p>Thread: any thread running the graph; the port table is published by main copy-on-write.
 */
public final class TapOutputNode extends Node
{
    public static final String NAME = "tap-output";
    public static final int ERROR_TX_FULL = 0;
    public static final int ERROR_NO_PORT = 1;
    public static final List<String> ERRORS = List.of("tx queue full", "not a tap interface");

    private final Table table;
    /** This thread's iovecs and vnet header for writev (threads may share a tx queue, never scratch). */
    private final TapPort.TxScratch scratch = new TapPort.TxScratch();

    private TapOutputNode(final Table table)
    {
        this.table = table;
    }

    public static NodeRegistration registration(final Table table)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop"), ERRORS, () -> new TapOutputNode(table));
    }

    /** swIfIndex → TapPort, replaced copy-on-write. Thread: main writes; the data plane reads. */
    public static final class Table
    {
        private volatile TapPort[] bySwIfIndex = new TapPort[0];

        public void put(final int swIfIndex, final TapPort port)
        {
            final TapPort[] t = Arrays.copyOf(bySwIfIndex, Math.max(bySwIfIndex.length, swIfIndex + 1));
            t[swIfIndex] = port;
            bySwIfIndex = t;
        }

        public void remove(final int swIfIndex)
        {
            if (swIfIndex < bySwIfIndex.length)
            {
                final TapPort[] t = bySwIfIndex.clone();
                t[swIfIndex] = null;
                bySwIfIndex = t;
            }
        }

        public TapPort get(final int swIfIndex)
        {
            final TapPort[] t = bySwIfIndex;
            return swIfIndex >= 0 && swIfIndex < t.length ? t[swIfIndex] : null;
        }

        /** Buffers the rx stashes of the ports in the table hold. Thread: any (racy). */
        public long heldBuffers()
        {
            long n = 0;
            for (final TapPort p : bySwIfIndex)
            {
                n += p == null ? 0 : p.heldBuffers();
            }
            return n;
        }
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] tx = bTxIf;
        final TapPort[] ports = table.bySwIfIndex;
        final int thread = dispatcher().threadIndex();
        int i = 0;
        while (i < n)
        {
            final int sw = tx[bufs[i]];
            int j = i + 1;
            while (j < n && tx[bufs[j]] == sw)
            {
                j++;
            }
            final TapPort port = sw >= 0 && sw < ports.length ? ports[sw] : null;
            int sent = 0;
            int reason = ERROR_NO_PORT;
            if (port != null)
            {
                pcap(PcapCapture.TX, sw, bufs, i, j);
                sent = port.txBurst(thread % port.txQueues(), buffers, bufs, i, j - i, scratch);
                reason = ERROR_TX_FULL;
            }
            if (sent < j - i)
            {
                if (port != null)
                {
                    ifCounters().add(sw, InterfaceCounters.TX_ERROR, j - i - sent);
                }
                for (int k = i + sent; k < j; k++)
                {
                    drop(bufs[k], reason);
                }
            }
            i = j;
        }
        return n;
    }
}
