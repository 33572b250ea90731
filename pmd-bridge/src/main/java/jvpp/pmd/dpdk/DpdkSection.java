package jvpp.pmd.dpdk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jvpp.core.Jvpp;
import jvpp.core.config.ConfigCursor;
import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;
import jvpp.core.config.ConfigSection;

/**
 * startup.conf's {@code dpdk { }}, VPP's keys, read into a {@link DpdkConfig} that is put in the
 * {@link Jvpp.Context} (a later {@code dpdk { }} replaces an earlier one); {@code PmdBridgePlugin.start}
 * brings DPDK up from it ({@link DpdkBoot}). Every error names the file and line.
 *
 * <p>Thread: the one reading the file.
 */
public final class DpdkSection implements ConfigSection
{
    private static final Pattern PCI = Pattern.compile("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
    private static final DpdkConfig.Device DEFAULT_DEVICE = new DpdkConfig.Device(null, null,
        DpdkConfiguration.QUEUES_DEFAULT, DpdkConfiguration.QUEUES_DEFAULT, DpdkConfiguration.RX_DESC_DEFAULT,
        DpdkConfiguration.TX_DESC_DEFAULT);

    @Override
    public String name()
    {
        return "dpdk";
    }

    @Override
    public void read(final ConfigCursor in, final Jvpp.Context context) throws ConfigException
    {
        DpdkConfig.Device defaults = DEFAULT_DEVICE;
        final List<ConfigItem> pending = new ArrayList<>();
        final List<String> vdevs = new ArrayList<>();
        boolean noPci = false;
        boolean noHuge = false;
        int memoryMb = DpdkConfiguration.NO_HUGE_MEMORY_MB_DEFAULT;
        String socketMem = null;
        String hugeDir = null;
        String prefix = null;
        String iova = null;
        String logLevel = null;
        String uio = null;
        for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
        {
            switch (key.word())
            {
                case "dev":
                {
                    final ConfigItem dev = in.valueItem(key, "a PCI address or `default'");
                    if (dev.word().equals("default"))
                    {
                        defaults = device(in, dev, defaults, null);
                    }
                    else if (PCI.matcher(dev.word()).matches())
                    {
                        pending.add(dev);
                    }
                    else
                    {
                        throw in.error(dev, "dev: expected a PCI address like 0000:02:00.1, got `" + dev.word() + "'");
                    }
                    break;
                }
                case "vdev":
                    vdevs.add(in.value(key, "vdev arguments, e.g. net_af_packet0,iface=veth1"));
                    break;
                case "no-pci":
                    noPci = true;
                    break;
                case "no-huge":
                    noHuge = true;
                    break;
                case "no-huge-memory":
                    memoryMb = in.number(key, DpdkConfiguration.NO_HUGE_MEMORY_MB_MIN,
                        DpdkConfiguration.NO_HUGE_MEMORY_MB_MAX);
                    break;
                case "socket-mem":
                    socketMem = in.value(key, "MB per socket, e.g. 1024,1024");
                    if (!socketMem.matches("[0-9]+(,[0-9]+)*"))
                    {
                        throw in.error(key, "socket-mem: expected MB per socket like 1024,1024, got `" + socketMem + "'");
                    }
                    break;
                case "huge-dir":
                    hugeDir = in.value(key, "a directory");
                    break;
                case "file-prefix":
                    prefix = in.value(key, "a prefix");
                    break;
                case "iova-mode":
                    iova = in.value(key, "va or pa");
                    if (!iova.equals("va") && !iova.equals("pa"))
                    {
                        throw in.error(key, "iova-mode: expected va or pa, got `" + iova + "'");
                    }
                    break;
                case "log-level":
                    logLevel = in.value(key, "a log level");
                    break;
                case "uio-driver":
                    uio = in.value(key, "a driver (vfio-pci, igb_uio, uio_pci_generic, auto)");
                    break;
                default:
                    throw in.unknown(key);
            }
        }
        // Each dev gets the dev default settings wherever in the section they are given.
        final List<DpdkConfig.Device> devices = new ArrayList<>();
        for (final ConfigItem dev : pending)
        {
            final String pci = dev.word().length() == 7 ? "0000:" + dev.word() : dev.word();
            devices.add(device(in, dev, defaults, pci.toLowerCase()));
        }
        if (noPci && !devices.isEmpty())
        {
            throw in.error(pending.get(0), "dev " + pending.get(0).word() + ": conflicts with no-pci");
        }
        context.settings(DpdkConfig.class, new DpdkConfig(devices, vdevs, noPci, noHuge, memoryMb, socketMem, hugeDir,
            prefix, iova, logLevel, uio));
    }

    /**
     * {@code dev}'s block over {@code base}: its queues and descriptors, and for a device ({@code pci} not null)
     * its name.
     */
    private static DpdkConfig.Device device(final ConfigCursor in, final ConfigItem dev, final DpdkConfig.Device base,
        final String pci) throws ConfigException
    {
        String name = base.name();
        int rxQueues = base.rxQueues();
        int txQueues = base.txQueues();
        int rxDesc = base.rxDesc();
        int txDesc = base.txDesc();
        if (dev.hasBlock())
        {
            final ConfigCursor block = in.block(dev);
            for (ConfigItem key = block.nextKey(); key != null; key = block.nextKey())
            {
                switch (key.word())
                {
                    case "name":
                        if (pci == null)
                        {
                            throw block.error(key, "dev default: name is per device");
                        }
                        name = block.value(key, "an interface name");
                        break;
                    case "num-rx-queues":
                        rxQueues = block.number(key, 1, DpdkConfiguration.QUEUES_MAX);
                        break;
                    case "num-tx-queues":
                        txQueues = block.number(key, 1, DpdkConfiguration.QUEUES_MAX);
                        break;
                    case "num-rx-desc":
                        rxDesc = powerOfTwo(block, key);
                        break;
                    case "num-tx-desc":
                        txDesc = powerOfTwo(block, key);
                        break;
                    default:
                        throw block.unknown(key);
                }
            }
        }
        return new DpdkConfig.Device(pci, name, rxQueues, txQueues, rxDesc, txDesc);
    }

    private static int powerOfTwo(final ConfigCursor in, final ConfigItem key) throws ConfigException
    {
        final int v = in.number(key, DpdkConfiguration.DESC_MIN, DpdkConfiguration.DESC_MAX);
        if (Integer.bitCount(v) != 1)
        {
            throw in.error(key, key.word() + ": must be a power of 2, got " + v);
        }
        return v;
    }
}
