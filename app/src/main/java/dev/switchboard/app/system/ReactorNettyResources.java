package dev.switchboard.app.system;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives the application its own Reactor Netty event loops and connection pool instead of reactor-netty's
 * process-wide {@code HttpResources}. With the global ones, closing one application context disposes the loops
 * that every other context in the JVM serves on, and their web servers stop accepting connections; the tests start
 * and close several applications in one JVM. Spring Boot's {@link ReactorResourceFactory} bean and its settings
 * ({@code spring.reactor.netty.*}) stay; only {@code useGlobalResources} is switched off before it starts.
 */
@Configuration(proxyBeanMethods = false)
class ReactorNettyResources {

    @Bean
    static BeanPostProcessor ownReactorNettyResources() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof ReactorResourceFactory factory) {
                    factory.setUseGlobalResources(false);
                }
                return bean;
            }
        };
    }
}
