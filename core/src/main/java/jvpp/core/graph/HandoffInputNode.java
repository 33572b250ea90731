package jvpp.core.graph;

import java.util.List;

import org.agrona.concurrent.MessageHandler;
import org.agrona.DirectBuffer;

/**
 * {@code handoff-input}: on each thread, takes what other threads handed to it ({@link HandoffRings}) off its
 * rings and gives each run to the arc it names (ethernet-input for worker handoff, an interface's tx node for
 * tx handoff). Polls wherever there are several threads.
 *
 * <p>Thread: its own; it is the only consumer of the rings into this thread.
 */
public final class HandoffInputNode extends Node
{
    public static final String NAME = "handoff-input";
    private final HandoffRings handoff;
    private final int[] scratch = new int[Frame.SIZE];
    private final MessageHandler handler = this::onMessage;
    private int received;

    private HandoffInputNode(final HandoffRings handoff)
    {
        this.handoff = handoff;
    }

    public static NodeRegistration registration(final HandoffRings handoff)
    {
        return NodeRegistration.input(NAME, List.of("error-drop"), List.of(), () -> new HandoffInputNode(handoff));
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

    /** Nothing to poll until a sender wakes this thread ({@link HandoffRings#send} does when it sleeps). */
    @Override
    public int waitState()
    {
        return received > 0 ? WAIT_POLLS : WAIT_NONE;
    }

    @Override
    public boolean idle()
    {
        final int me = dispatcher().threadIndex();
        for (int f = 0; f < handoff.threads(); f++)
        {
            if (f != me && handoff.ring(f, me).size() > 0)
            {
                return false;
            }
        }
        return true;
    }

    private void onMessage(final int type, final DirectBuffer buffer, final int index, final int length)
    {
        final int arc = buffer.getInt(index);
        final int n = (length - 4) / 4;
        for (int i = 0; i < n; i++)
        {
            scratch[i] = buffer.getInt(index + 4 + i * 4);
        }
        if (tracing())
        {
            for (int i = 0; i < n; i++)
            {
                traceInput(scratch[i]);
            }
        }
        enqueue(arc, scratch, 0, n);
        received += n;
    }
}
