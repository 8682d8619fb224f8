package io.switchboard.websocket.api;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** The wire names of the event types, found once in the sealed {@link EventPayload} hierarchy. */
final class EventTypes {
    static final List<String> ALL = List.copyOf(collect(EventPayload.class, new ArrayList<>()));

    private EventTypes() {}

    private static List<String> collect(Class<?> type, List<String> names) {
        if (type.isRecord()) {
            names.add(typeConstant(type));
        }
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted != null) {
            for (Class<?> subtype : permitted) {
                collect(subtype, names);
            }
        }
        return names;
    }

    private static String typeConstant(Class<?> record) {
        try {
            Field field = record.getField("TYPE");
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
                throw new IllegalStateException(record.getName() + ".TYPE must be a static String");
            }
            return (String) field.get(null);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException("event type " + record.getName() + " has no public TYPE constant", e);
        }
    }
}
