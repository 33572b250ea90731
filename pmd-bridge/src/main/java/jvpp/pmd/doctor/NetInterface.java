package jvpp.pmd.doctor;

/**
 * A kernel network interface as {@code /sys/class/net/<name>} shows it.
 *
 * <p>Thread: any (immutable).
 *
 * @param name      the interface name.
 * @param operstate {@code up}, {@code down}, {@code unknown}...
 * @param flags     {@code IFF_*} flags ({@code IFF_UP} = 0x1), -1 when unknown.
 * @param address   the MAC, lower case.
 * @param device    what {@code device} points at: a PCI address, a VMBus device id, or null (virtual).
 * @param driver    the driver of that device, null when unknown.
 * @param master    the interface this one is enslaved to (Azure: the synthetic hv_netvsc interface), or null.
 */
public record NetInterface(String name, String operstate, int flags, String address, String device, String driver,
    String master)
{
    private static final int IFF_UP = 0x1;

    /** Administratively up ({@code ip link set up}), carrier or not. */
    public boolean isUp()
    {
        return flags >= 0 ? (flags & IFF_UP) != 0 : "up".equals(operstate);
    }
}
