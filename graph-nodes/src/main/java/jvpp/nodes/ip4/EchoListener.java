package jvpp.nodes.ip4;

/**
 * Receives ICMP echo replies addressed to jvpp itself (what {@code ping} waits for).
 * Thread: the thread running ip4-local (main today).
 */
@FunctionalInterface
public interface EchoListener
{
    /** An echo reply with identifier {@code id} and sequence {@code seq} arrived. */
    void reply(int id, int seq, int src, int ttl, int icmpLength, long nanoTime);
}
