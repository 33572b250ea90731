package jvpp.nodes.handoff;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import org.agrona.concurrent.MessageHandler;
import org.agrona.DirectBuffer;

/**
 * {@code handoff-input}: on each thread, takes what other threads handed to it ({@link HandoffNode}) off its
 * rings and gives it to ethernet-input. Polls only while handoff is in use.
 *
 * <p>Thread: its own; it is the only consumer of the rings into this thread.
 */
public final class HandoffInputNode extends Node
{
    public static final String NAME = "handoff-input";
    static final int NEXT_ETHERNET = 1;

    private final WorkerHandoff handoff;
    private final int[] scratch = new int[Frame.SIZE];
    private final MessageHandler handler = this::onMessage;
    private int received;

    private HandoffInputNode(final WorkerHandoff handoff)
    {
        this.handoff = handoff;
    }

    public static NodeRegistration registration(final WorkerHandoff handoff)
    {
        return NodeRegistration.input(NAME, List.of("error-drop", "ethernet-input"), List.of(), () -> new HandoffInputNode(handoff));
    }

    @Override
    protected void onAttach()
    {
        // Polls only where there is something to hand over to: several threads.
        polling(dispatcher().threads() > 1);
    }

    @Override
    public int poll()
    {
        final int me = dispatcher().threadIndex();
        received = 0;
        for (int f = 0; f < handoff.threads(); f++)
        {
            if (f != me)
            {
                handoff.ring(f, me).read(handler, 16);
            }
        }
        return received;
    }

    private void onMessage(final int type, final DirectBuffer buffer, final int index, final int length)
    {
        final int n = length / 4;
        for (int i = 0; i < n; i++)
        {
            scratch[i] = buffer.getInt(index + i * 4);
        }
        if (tracing())
        {
            for (int i = 0; i < n; i++)
            {
                traceInput(scratch[i]);
            }
        }
        enqueue(NEXT_ETHERNET, scratch, 0, n);
        received += n;
    }
}
