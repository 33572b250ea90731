package jvpp.pmd.dpdk;

import java.util.Arrays;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.Interface;
import jvpp.core.testing.TestJvpp;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.testing.CaptureNode;

/**
 * The copying mode in a process of its own (the EAL initialises once per process): a net_ring loop whose
 * bytes must come back and whose buffers must all come home. Prints {@code OK} and exits 0, or says what failed.
 */
public final class CopyModeMain
{
    private CopyModeMain()
    {
    }

    public static void main(final String[] args)
    {
        final Jvpp vpp = TestJvpp.create(4096);
        CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        final DpdkPorts dpdk = DpdkPorts.init(vpp, List.of("--no-pci", "--no-huge", "-m", "128", "--no-shconf",
            "--file-prefix=jvpp-copy-" + ProcessHandle.current().pid(), "-l", "0", "--no-telemetry",
            "--log-level=lib.eal:error"), false);
        check(!dpdk.zeroCopy(), "copy mode asked for");
        final BufferPool pool = vpp.pool();
        final BufferCache cache = pool.newCache("copy-test");
        final Interface ifc = dpdk.create("net_ring5", "ring5");
        final DpdkPort port = dpdk.port(ifc);
        final int[] sent = new int[64];
        check(cache.alloc(sent, 0, 64) == 64, "alloc");
        final byte[][] expected = new byte[64][];
        for (int i = 0; i < 64; i++)
        {
            final int len = 60 + i * 13;
            pool.length[sent[i]] = len;
            expected[i] = new byte[len];
            for (int k = 0; k < len; k++)
            {
                expected[i][k] = (byte)(k ^ i);
            }
            pool.memory().putBytes(pool.start[sent[i]], expected[i]);
        }
        check(port.txBurst(0, cache, sent, 0, 64) == 64, "tx 64");
        final int[] got = new int[256];
        final int n = port.rxBurst(0, cache, got, 0, 256);
        check(n == 64, "rx 64, got " + n);
        for (int i = 0; i < n; i++)
        {
            final byte[] b = new byte[pool.length[got[i]]];
            pool.memory().getBytes(pool.start[got[i]], b);
            check(Arrays.equals(expected[i], b), "bytes of packet " + i);
        }
        cache.free(got, 0, n);
        dpdk.delete(ifc);
        cache.close();
        check(pool.used() == 0, "all buffers home, used " + pool.used());
        vpp.close();
        System.out.println("OK");
        System.exit(0);
    }

    private static void check(final boolean ok, final String what)
    {
        if (!ok)
        {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
    }
}
