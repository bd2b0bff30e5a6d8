package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** {@code switchboard.device}: cpu, gpu or auto, resolved against the GPUs the engine reports. */
class DeviceChoiceTest {

    @Test
    void autoTakesTheGpuOnlyWhenTheEngineReportsOne() {
        assertThat(DeviceChoice.parse("auto").resolve(0)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.parse("AUTO").resolve(2)).isEqualTo(Device.gpu());
        assertThat(DeviceChoice.parse(" cpu ").resolve(2)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.parse("gpu").resolve(1)).isEqualTo(Device.gpu());
    }

    @Test
    void askingForAGpuTheEngineDoesNotHaveSaysHowToGetOne() {
        assertThatThrownBy(() -> DeviceChoice.GPU.resolve(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no GPU").hasMessageContaining("-Pcuda").hasMessageContaining("cpu or auto");
    }

    @Test
    void anUnknownValueNamesTheAcceptedOnes() {
        assertThatThrownBy(() -> DeviceChoice.parse("cuda:0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpu, gpu or auto").hasMessageContaining("'cuda:0'");
    }

    @Test
    void onThisBuildAutoIsWhatTheEngineHas() {
        Device expected = Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        assertThat(DeviceChoice.AUTO.resolve()).isEqualTo(expected);
    }
}
