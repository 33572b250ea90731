package jvpp.core.iface;

/**
 * What an interface's driver tells the interface layer (VPP's device class): its name, how it follows
 * admin state, and what {@code show hardware-interfaces} prints about the device.
 *
 * <p>Thread: main.
 */
public interface InterfaceDriver
{
    /** The driver name {@code show hardware-interfaces} prints (e.g. {@code loopback}, {@code tap}). */
    String driverName();

    /** The interface was set up or down by the operator; the driver starts or stops its device. */
    default void adminStateChanged(final Interface ifc, final boolean up)
    {
    }

    /** Extra {@code show hardware-interfaces} lines, each starting with two spaces. */
    default void describe(final Interface ifc, final StringBuilder out, final boolean verbose)
    {
    }
}
