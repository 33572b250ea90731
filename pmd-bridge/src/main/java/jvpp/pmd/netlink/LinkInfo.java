package jvpp.pmd.netlink;

import jvpp.core.net.MacAddress;

/**
 * What the kernel says about one network device, decoded from an {@code RTM_NEWLINK} message.
 *
 * @param name    the device name
 * @param index   the ifindex in its namespace
 * @param up      administratively up ({@code IFF_UP})
 * @param running operationally up: up and carrier present ({@code IFF_RUNNING}/{@code IFF_LOWER_UP})
 * @param mtu     the MTU
 * @param mac     the 48-bit hardware address, or -1 when the device has none of 6 bytes
 * @param kind    the link kind ({@code veth}, {@code bridge}, ...), or null for a plain device
 * @param master  the ifindex of the device's master (a bridge), 0 when none
 *
 * <p>Thread: any (immutable).
 */
public record LinkInfo(String name, int index, boolean up, boolean running, int mtu, long mac, String kind, int master)
{
    @Override
    public String toString()
    {
        return name + " (index " + index + (up ? ", up" : ", down") + (running ? ", running" : "") + ", mtu " + mtu +
            (mac >= 0 ? ", " + MacAddress.format(mac) : "") + (kind != null ? ", " + kind : "") + ")";
    }
}
