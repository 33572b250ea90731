package jvpp.pmd.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.config.ConfigCursor;
import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;
import jvpp.pmd.doctor.DoctorRequest;
import org.junit.jupiter.api.Test;

/**
 * The {@code dpdk { }} section where it is owned, on trees built by hand (the text parser is conf's, whose
 * {@code StartupConfigParserTest} reads the section from text), and what the boot derives from it.
 */
class DpdkSectionTest
{
    private static ConfigItem word(final String word, final int line)
    {
        return new ConfigItem(word, line, null);
    }

    private static Jvpp.Context read(final ConfigItem... items) throws ConfigException
    {
        final Jvpp.Context context = new Jvpp.Context();
        new DpdkSection().read(new ConfigCursor("t.conf", null, new ConfigItem("dpdk", 1, List.of(items))), context);
        return context;
    }

    @Test
    void shouldPutTheDevicesWithDefaultsInTheContextWhenRead() throws ConfigException
    {
        final DpdkConfig d = read(word("dev", 2),
            new ConfigItem("03:00.0", 2, List.of(word("name", 2), word("eth1", 2), word("num-tx-queues", 2), word("2", 2))),
            word("vdev", 3), word("net_tap0", 3)).settings(DpdkConfig.class);
        assertEquals(List.of(new DpdkConfig.Device("0000:03:00.0", "eth1", 1, 2, 1024, 1024)), d.devices());
        assertEquals(List.of("net_tap0"), d.vdevs());
        assertEquals(256, d.memoryMb(), "no-huge-memory's default");
        assertNull(new Jvpp.Context().settings(DpdkConfig.class), "no section, no settings");
    }

    @Test
    void shouldNameTheLineWhenADeviceConflictsOrANameIsNotPerDevice()
    {
        assertEquals("t.conf:2: dev 03:00.0: conflicts with no-pci",
            assertThrows(ConfigException.class, () -> read(word("dev", 2), word("03:00.0", 2), word("no-pci", 3)))
                .getMessage());
        assertEquals("t.conf:4: dev default: name is per device", assertThrows(ConfigException.class,
            () -> read(word("dev", 3), new ConfigItem("default", 3, List.of(word("name", 4), word("x", 4)))))
            .getMessage());
        assertEquals("t.conf:2: num-rx-queues: must be between 1 and 64, got 65", assertThrows(ConfigException.class,
            () -> read(word("dev", 2), new ConfigItem("default", 2, List.of(word("num-rx-queues", 2), word("65", 2)))))
            .getMessage());
    }

    @Test
    void shouldNameDevicesAndAskTheDoctorForWhatTheSectionNeeds() throws ConfigException
    {
        assertEquals("Ethernet2/0/1", DpdkBoot.pciName("0000:02:00.1"));
        assertEquals("Ethernet16/31/7", DpdkBoot.pciName("0000:10:1f.7"), "the hex numbers in decimal, as VPP");
        assertEquals("veth1", DpdkKernelLinks.kernelInterface("net_af_packet0,iface=veth1,qpairs=1"));
        assertNull(DpdkKernelLinks.kernelInterface("net_tap0,iface=dtap0"), "net_tap makes its own");
        final Jvpp.Context context = read(word("dev", 2), word("0000:02:00.1", 2), word("socket-mem", 3), word("64,64", 3))
            .buffers(1024).dataSize(2048);
        final DoctorRequest request = DpdkBoot.request(context);
        assertEquals(List.of("0000:02:00.1"), request.pciDevices());
        assertEquals(1024L * 2368 + 128L * 1024 * 1024, request.hugepageBytes(), "the arena plus DPDK's socket-mem");
        assertEquals(List.of(), DpdkBoot.request(new Jvpp.Context()).pciDevices(), "no dpdk { }: nothing asked");
    }
}
