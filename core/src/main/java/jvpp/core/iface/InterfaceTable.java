package jvpp.core.iface;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;

/**
 * All interfaces by {@code sw_if_index} and by name. Index 0 is {@code local0}, as in VPP.
 *
 * <p>Thread: main. The data plane reads interfaces through arrays that listeners publish.
 */
public final class InterfaceTable
{
    private static final InterfaceDriver LOCAL = () -> "local";

    private final List<Interface> interfaces = new ArrayList<>();
    private final Map<String, Interface> byName = new HashMap<>();
    private final List<InterfaceListener> listeners = new ArrayList<>();

    public InterfaceTable()
    {
        create("local0", LOCAL, 0, null);
    }

    public void addListener(final InterfaceListener listener)
    {
        listeners.add(listener);
        for (final Interface ifc : interfaces)
        {
            if (ifc != null)
            {
                listener.interfaceAdded(ifc);
            }
        }
    }

    /**
     * Create an interface, admin down, link up.
     *
     * @param txNode the node that transmits on it, or null
     * @throws IllegalArgumentException when the name is taken
     */
    public Interface create(final String name, final InterfaceDriver driver, final long mac, final String txNode)
    {
        return create(name, driver, mac, txNode, null);
    }

    /**
     * Create a sub-interface of {@code sup} (VLAN sub-interfaces), admin down, link up, with its parent's MAC.
     * It is forwarding-up only while its parent is, and goes when its parent is deleted.
     *
     * @throws IllegalArgumentException when the name is taken or {@code sup} is itself a sub-interface
     */
    public Interface createSub(final Interface sup, final String name, final InterfaceDriver driver, final String txNode)
    {
        if (sup.isSub())
        {
            throw new IllegalArgumentException(sup.name() + " is a sub-interface");
        }
        return create(name, driver, sup.mac(), txNode, sup);
    }

    private Interface create(final String name, final InterfaceDriver driver, final long mac, final String txNode,
        final Interface sup)
    {
        if (byName.containsKey(name))
        {
            throw new IllegalArgumentException("interface " + name + " already exists");
        }
        final Interface ifc = new Interface(interfaces.size(), name, driver, mac, txNode, sup);
        ifc.linkUp(true, "");
        interfaces.add(ifc);
        byName.put(name, ifc);
        for (final InterfaceListener l : listeners)
        {
            l.interfaceAdded(ifc);
        }
        return ifc;
    }

    /** Delete an interface and its sub-interfaces first; indexes are not reused. */
    public void delete(final Interface ifc)
    {
        for (final Interface sub : subsOf(ifc))
        {
            delete(sub);
        }
        if (ifc.adminUp())
        {
            setAdminState(ifc, false);
        }
        for (final InterfaceListener l : listeners)
        {
            l.interfaceDeleted(ifc);
        }
        interfaces.set(ifc.swIfIndex(), null);
        byName.remove(ifc.name());
    }

    public void setAdminState(final Interface ifc, final boolean up)
    {
        if (ifc.adminUp() == up)
        {
            return;
        }
        ifc.adminUp(up);
        ifc.driver().adminStateChanged(ifc, up);
        for (final InterfaceListener l : listeners)
        {
            l.adminStateChanged(ifc, up);
        }
    }

    /** The interface at {@code swIfIndex}, or null. */
    public Interface get(final int swIfIndex)
    {
        return swIfIndex >= 0 && swIfIndex < interfaces.size() ? interfaces.get(swIfIndex) : null;
    }

    /** The interface named {@code name}, or null. */
    public Interface get(final String name)
    {
        return byName.get(name);
    }

    /** The name of {@code swIfIndex} for printing, {@code unknown-<n>} when there is none. */
    public String name(final int swIfIndex)
    {
        final Interface ifc = get(swIfIndex);
        return ifc == null ? "unknown-" + swIfIndex : ifc.name();
    }

    /** Consume an interface name from {@code in}: {@code unknown interface `x'} when there is none. */
    public Interface parse(final CliInput in) throws CliException
    {
        final String name = in.next("interface name");
        final Interface ifc = byName.get(name);
        if (ifc == null)
        {
            throw new CliException("unknown interface `" + name + "'");
        }
        return ifc;
    }

    /** The live sub-interfaces of {@code sup}, in index order. */
    public List<Interface> subsOf(final Interface sup)
    {
        final List<Interface> out = new ArrayList<>();
        for (final Interface ifc : interfaces)
        {
            if (ifc != null && ifc.sup() == sup)
            {
                out.add(ifc);
            }
        }
        return out;
    }

    /** One past the highest {@code sw_if_index} ever given out. */
    public int capacity()
    {
        return interfaces.size();
    }

    /** The live interfaces in index order. */
    public List<Interface> all()
    {
        final List<Interface> out = new ArrayList<>();
        for (final Interface ifc : interfaces)
        {
            if (ifc != null)
            {
                out.add(ifc);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The next free instance number for names {@code <prefix><n>} (loop0, loop1, ...). */
    public int nextInstance(final String prefix)
    {
        int n = 0;
        while (byName.containsKey(prefix + n))
        {
            n++;
        }
        return n;
    }
}
