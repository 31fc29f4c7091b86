package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationCatalog;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Lets Spring build a generated registry whose migrations have {@code @Inject} constructors (imported by the
 * application, e.g. {@code @Import(MigrationRegistry.class)}): the registry's generated
 * {@code @Inject MigrationRegistry(Provider<ResetPasswords> resetPasswordsProvider, ...)} names, at compile time,
 * every migration that needs beans; each becomes a prototype bean definition, so Spring calls its
 * {@code @Inject} constructor with beans of the context when the runner asks for it ({@link InjectedMigrationsCheck}
 * resolves those arguments at start-up, before anything runs). Reads only the generated registry's constructor;
 * no class-path scanning. {@code jakarta.inject} only: Spring resolves
 * {@code jakarta.inject.Provider}.
 */
final class InjectedMigrationsRegistrar
    implements BeanDefinitionRegistryPostProcessor, BeanClassLoaderAware, Ordered {
  private static final String INJECT = "jakarta.inject.Inject";
  private static final String PROVIDER = "jakarta.inject.Provider";

  private ClassLoader classLoader = InjectedMigrationsRegistrar.class.getClassLoader();

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    for (String name : registry.getBeanDefinitionNames()) {
      BeanDefinition definition = registry.getBeanDefinition(name);
      Class<?> type = catalogClass(definition);
      if (type == null) {
        continue;
      }
      for (Constructor<?> constructor : type.getConstructors()) {
        if (Arrays.stream(constructor.getAnnotations())
            .noneMatch(a -> a.annotationType().getName().equals(INJECT))) {
          continue;
        }
        for (Type parameter : constructor.getGenericParameterTypes()) {
          Class<?> migration = providedClass(parameter);
          if (migration != null && !registry.containsBeanDefinition(migration.getName())) {
            RootBeanDefinition bean = new RootBeanDefinition(migration);
            // A new instance each time the runner asks, as Dagger's unscoped providers give.
            bean.setScope(BeanDefinition.SCOPE_PROTOTYPE);
            registry.registerBeanDefinition(migration.getName(), bean);
          }
        }
      }
    }
  }

  private Class<?> catalogClass(BeanDefinition definition) {
    String className = definition.getBeanClassName();
    if (className == null || definition.getFactoryMethodName() != null) {
      return null; // a @Bean method: the application builds the catalog itself
    }
    try {
      Class<?> type = ClassUtils.forName(className, classLoader);
      return MigrationCatalog.class.isAssignableFrom(type) ? type : null;
    } catch (ClassNotFoundException | LinkageError e) {
      return null; // not loadable here: Spring reports it where it creates the bean
    }
  }

  private static Class<?> providedClass(Type parameter) {
    if (parameter instanceof ParameterizedType generic
        && generic.getRawType() instanceof Class<?> raw
        && raw.getName().equals(PROVIDER)
        && generic.getActualTypeArguments()[0] instanceof Class<?> provided) {
      return provided;
    }
    return null;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}

  /** After the configuration classes registered the application's beans (and its imported registry). */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
