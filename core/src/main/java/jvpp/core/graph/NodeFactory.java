package jvpp.core.graph;

/**
 * Creates a node's per-thread instance. Each thread that runs the graph gets its own node objects, so a
 * node's scratch state (flyweights, arrays) is never shared between threads.
 */
@FunctionalInterface
public interface NodeFactory
{
    Node create();
}
