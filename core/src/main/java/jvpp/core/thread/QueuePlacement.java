package jvpp.core.thread;

import java.util.stream.IntStream;

/**
 * Which thread polls each rx queue of a new port: queue i on worker i mod n, preferring the workers on the
 * device's NUMA node, or main when there are no workers. Adding queues never moves existing ones (the mlx5
 * Multi-PF channel rule). {@code set interface rx-placement} moves them afterwards.
 *
 * <p>Thread indices: main is 0, worker w is w + 1.
 *
 * <p>Thread: main.
 */
public final class QueuePlacement
{
    private final int[] workerCores;

    /** @param workerCores worker w's core (-1: not pinned, NUMA node unknown) */
    public QueuePlacement(final int[] workerCores)
    {
        this.workerCores = workerCores.clone();
    }

    /**
     * The thread index for each of {@code queues} rx queues of a device on NUMA node {@code numaNode} (-1:
     * unknown): round-robin over the workers on that node when there are any, else over all.
     */
    public int[] place(final int queues, final int numaNode)
    {
        final int[] workerNuma = new int[workerCores.length];
        for (int w = 0; w < workerNuma.length; w++)
        {
            final int core = workerCores[w];
            workerNuma[w] = core < 0 ? -1 : CpuTopology.numaNode(core);
        }
        return place(queues, numaNode, workerNuma);
    }

    /**
     * Queue i → the i-th worker (mod their count) among those on {@code numaNode}, or among all when none is
     * there or the node is unknown; main (0) when there are no workers.
     *
     * @param workerNuma worker w's NUMA node (-1: unknown)
     */
    public static int[] place(final int queues, final int numaNode, final int[] workerNuma)
    {
        final int[] local = IntStream.range(0, workerNuma.length)
            .filter(w -> numaNode >= 0 && workerNuma[w] == numaNode).toArray();
        final int[] pool = local.length > 0 ? local : IntStream.range(0, workerNuma.length).toArray();
        final int[] t = new int[queues];
        for (int q = 0; q < queues; q++)
        {
            t[q] = pool.length == 0 ? 0 : 1 + pool[q % pool.length];
        }
        return t;
    }
}
