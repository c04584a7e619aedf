package dev.rtfs.microvm.lang;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;

/** Read-only set view over distinct elements (checked by the reader), copied once by {@link SetValue}. */
final class ValueArraySet extends AbstractSet<Value> {
    private final List<Value> items;

    ValueArraySet(Value[] distinct) {
        this.items = new ValueArrayList(distinct);
    }

    @Override public Iterator<Value> iterator() {
        return items.iterator();
    }

    @Override public int size() {
        return items.size();
    }
}
