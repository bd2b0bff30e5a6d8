package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** {@code switchboard.routing.on-device}: auto routes on the device whenever it is not the CPU; on and off force it. */
class DeviceRoutingTest {

    @Test
    void autoRoutesOnAGpuButNotOnTheCpuAndOnAndOffForceIt() {
        assertThat(DeviceRouting.parse("auto").on(Device.gpu())).isTrue();
        assertThat(DeviceRouting.parse(" AUTO ").on(Device.cpu())).isFalse();
        assertThat(DeviceRouting.parse("on").on(Device.cpu())).isTrue();
        assertThat(DeviceRouting.parse("off").on(Device.gpu())).isFalse();
        assertThat(ModelOptions.defaults().withDeviceRouting(DeviceRouting.AUTO).withDevice(Device.gpu()).routesOnDevice())
                .isTrue();
    }

    @Test
    void anUnknownValueNamesTheAcceptedOnes() {
        assertThatThrownBy(() -> DeviceRouting.parse("yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto").hasMessageContaining("on or off").hasMessageContaining("'yes'");
    }
}
