package dev.switchboard.app.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.util.ErrorHandler;

/**
 * How application events reach their listeners: in the publishing thread, as Spring does by default, but a
 * listener that throws is logged and the other listeners still run; the failure never reaches the publisher. An
 * event announces something that has already happened (an expert disabled, a plugin loaded), so a subscriber that
 * fails, the statistics included, must not turn a done operation into an error. An {@link Error} still propagates.
 */
@Configuration(proxyBeanMethods = false)
public final class ApplicationEvents {

    private static final Logger log = LoggerFactory.getLogger(ApplicationEvents.class);

    /** Spring looks the multicaster up by this name while the context refreshes, before other singletons. */
    @Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
    static SimpleApplicationEventMulticaster applicationEventMulticaster(BeanFactory beans) {
        SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster(beans);
        multicaster.setErrorHandler(LISTENER_FAILURE_LOGGED);
        return multicaster;
    }

    static final ErrorHandler LISTENER_FAILURE_LOGGED = failure -> {
        if (failure instanceof Error error) {
            throw error;
        }
        log.warn("An application event listener failed; the publisher's operation stands", failure);
    };
}
