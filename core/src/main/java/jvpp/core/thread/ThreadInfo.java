package jvpp.core.thread;

/**
 * What {@code show threads} prints about one jvpp thread.
 *
 * @param id     jvpp's thread index (0 is main)
 * @param name   e.g. {@code jvpp_main}, {@code jvpp_wk_0}
 * @param type   empty for main, {@code workers} for workers
 * @param lwp    the kernel thread id
 * @param lcore  the CPU it is pinned to, or the one it ran on last when not pinned
 * @param core   the physical core id of that CPU
 * @param socket the NUMA node of that CPU
 * @param pinned whether it is pinned to {@code lcore}
 */
public record ThreadInfo(int id, String name, String type, int lwp, int lcore, int core, int socket, boolean pinned)
{
}
