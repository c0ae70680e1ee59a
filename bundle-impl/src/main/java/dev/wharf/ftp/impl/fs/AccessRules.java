package dev.wharf.ftp.impl.fs;

import java.nio.file.AccessDeniedException;
import java.util.List;

/**
 * What a user may do in a {@link VirtualFileSystem} besides reading, checked on where an operation really lands
 * (after the links on its way), not on the path the client typed: a link into a drop box, or a drop box that is a
 * link elsewhere, changes nothing.
 *
 * <p>A drop box (the classic anonymous {@code incoming}) is a directory where files can be added and nothing can
 * be read: not listed, not downloaded, not looked at, not changed, removed or overwritten. So one visitor cannot
 * see, take or replace what another left there.
 */
public final class AccessRules {

    /** Everything allowed: the session's own checks (a read-only account) apply above this. */
    public static final AccessRules FULL = new AccessRules(true, null);

    private final boolean writable;
    private final List<String> dropBox;

    private AccessRules(boolean writable, List<String> dropBox) {
        this.writable = writable;
        this.dropBox = dropBox;
    }

    /**
     * Nothing may be changed, except new files in the drop box.
     *
     * @param dropBox a virtual directory below the root, e.g. {@code /incoming}; null: none
     */
    public static AccessRules readOnly(String dropBox) {
        List<String> box = dropBox == null ? null : VirtualFileSystem.components(dropBox);
        if (box != null && box.isEmpty()) {
            throw new IllegalArgumentException("the drop box must be a directory below the root, not the root");
        }
        return new AccessRules(false, box);
    }

    /**
     * Whether this virtual directory, as the client names it, is (in) the drop box: a read-only account may store
     * new files there. A hint for the reply only; where a file really lands is checked when it is created.
     */
    public boolean isDropBox(String virtualDirectory) {
        return inBox(VirtualFileSystem.components(virtualDirectory));
    }

    private boolean inBox(List<String> resolved) {
        return dropBox != null && resolved.size() >= dropBox.size()
                && resolved.subList(0, dropBox.size()).equals(dropBox);
    }

    /** Downloading or listing: not in the drop box. */
    void checkRead(List<String> resolved, String asked) throws AccessDeniedException {
        if (inBox(resolved)) {
            throw new AccessDeniedException(asked, null, "the upload directory cannot be read");
        }
    }

    /** Looking at an entry (its size or time): not at what lies in the drop box; the box itself may be entered. */
    void checkLookup(List<String> resolved, String asked) throws AccessDeniedException {
        if (inBox(resolved) && resolved.size() > dropBox.size()) {
            throw new AccessDeniedException(asked, null, "the upload directory cannot be read");
        }
    }

    /** Changing or removing what exists, making a directory: only with write access, never in the drop box. */
    void checkChange(List<String> resolved, String asked) throws AccessDeniedException {
        if (inBox(resolved)) {
            throw new AccessDeniedException(asked, null, "files in the upload directory cannot be changed");
        }
        if (!writable) {
            throw new AccessDeniedException(asked, null, "this account is read-only");
        }
    }

    /**
     * Adding a new file to the directory: allowed with write access or in the drop box.
     *
     * @return whether it must be a new file under its final name (the drop box: nothing is replaced)
     */
    boolean checkNewFile(List<String> directory, String asked) throws AccessDeniedException {
        if (inBox(directory)) {
            return true;
        }
        if (!writable) {
            throw new AccessDeniedException(asked, null, "this account is read-only");
        }
        return false;
    }
}
