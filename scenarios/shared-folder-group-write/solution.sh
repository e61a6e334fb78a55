#!/bin/bash
R=/srv/shared/reports
# 1. everything belongs to the group, which may read/write it; others get nothing
chgrp -R analysts /srv/shared
chmod -R g+rwX,o-rwx "$R"
# 2. setgid on directories: new files and folders inherit the group analysts
find "$R" -type d -exec chmod g+s {} +
# 3. default ACLs: new files get group rw whatever the creator's umask is
setfacl -R -m g:analysts:rwX "$R"
find "$R" -type d -exec setfacl -m d:g:analysts:rwx,d:o::--- {} +
getfacl -p "$R"
