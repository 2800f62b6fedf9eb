"""Short documents written for Dhakira's tests (not taken from any source)."""

from __future__ import annotations

HAMA_PRESS_RELEASE = """Press release

Security forces storm Hama Central Prison

Hama, 6 May 2016 - Syrian government forces stormed Hama Central Prison on 6 May 2016 after detainees \
had taken control of two wings to protest against transfers to Saydnaya. Guards fired tear gas into \
the wings and at least 25 detainees suffered from suffocation, according to relatives.

The detainees had demanded guarantees that none of them would be sent to the Military Field Court. \
The Syrian Arab Red Crescent and the ICRC were not allowed to enter the prison.

The city of Hama itself stayed calm, witnesses said.
"""

HOMS_HUNGER_STRIKE_AR = """إضراب عن الطعام في سجن حمص المركزي

حمص – بدأ أكثر من 300 معتقل في سجن حمص المركزي إضراباً مفتوحاً عن الطعام في 10 تشرين الأول 2017، \
احتجاجاً على تأخر محاكماتهم أمام محكمة الإرهاب.

وقال المرصد السوري لحقوق الإنسان إن إدارة السجن هددت المضربين بنقلهم إلى سجن صيدنايا، \
وطالب اللجنة الدولية للصليب الأحمر بزيارة السجن.
"""

SAYDNAYA_REPORT = """Saydnaya: a report on deaths in custody

This report documents deaths in custody at Sednaya Military Prison north of Damascus. Former \
detainees told us that at least 40 prisoners died under torture in Saydnaya in March 2015.

In a separate incident, guards at Adra Prison beat detainees on 2 June 2016.

Families in Rural Damascus still ask about relatives held in صيدنايا.
"""

GHWAYRAN_AR = """قسد تستعيد السيطرة على سجن الصناعة في الحسكة

الحسكة – أعلنت قوات سوريا الديمقراطية يوم 26 كانون الثاني 2022 أنها استعادت السيطرة على سجن غويران \
بعد هجوم شنه تنظيم داعش على السجن، وقالت إن نحو 1000 عنصر من التنظيم استسلموا.
"""

WISHES = """Detainees in Homs Central Prison said they would continue the hunger strike until they are released."""
