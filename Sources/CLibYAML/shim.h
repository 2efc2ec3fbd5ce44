// libyaml (Debian libyaml-dev, pkg-config `yaml-0.1`): the event parser the manifest reader drives.
#include <yaml.h>
