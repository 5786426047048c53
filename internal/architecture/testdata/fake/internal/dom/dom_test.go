package dom

import _ "alojamientos/web"
