"""Text of the fictional demo newsroom loaded by ``manage.py load_demo``.

Everything here is invented: Port Alder, its people, organizations and news events are
fictional, and any resemblance to real ones is coincidental. American English throughout
(the football club's proper name, the Port Alder Harbourers, keeps its own spelling).

Paragraphs are plain text; the loader escapes them and wraps each in ``<p>``. Publication
times are relative: ``hours_ago`` is hours before the moment of loading (negative means
scheduled in the future; ``None`` for unpublished drafts and articles in review). A
correction's ``hours_after`` is counted from publication. Photos are drawn by code as abstract
illustrations in the named ``palette``, so their alt text describes an illustration.
In ``COMMENTS``, ``reply_to`` is the index in this list of an earlier comment on the same
article.
"""

from typing import Any

SECTIONS: list[dict[str, str]] = [  # in navigation order
    {
        "name": "City",
        "slug": "city",
        "description": (
            "Neighborhoods, transport, health, schools and everyday life across Port Alder and the "
            "bay."
        ),
    },
    {
        "name": "Politics",
        "slug": "politics",
        "description": (
            "City Hall, the regional assembly and the elections that decide how Port Alder is run."
        ),
    },
    {
        "name": "Business",
        "slug": "business",
        "description": (
            "The harbor economy, local employers, startups and the cost of living on the coast."
        ),
    },
    {
        "name": "Science",
        "slug": "science",
        "description": (
            "Research from Port Alder University, the regional hospital and the waters of Alder "
            "Sound."
        ),
    },
    {
        "name": "Sport",
        "slug": "sport",
        "description": (
            "The Port Alder Harbourers, grassroots clubs and the city's races, regattas and "
            "rivalries."
        ),
    },
]


AUTHORS: list[dict[str, str]] = [  # fictional reporters
    {
        "name": "Maren Okafor",
        "slug": "maren-okafor",
        "bio": (
            "Maren Okafor covers City Hall and regional politics for Newsroom. She previously "
            "spent six years reporting on local government in the inland valleys."
        ),
    },
    {
        "name": "Tobias Lindqvist",
        "slug": "tobias-lindqvist",
        "bio": (
            "Tobias Lindqvist reports on transport, housing and the neighborhoods of Port Alder. "
            "He rides the Line 2 tram most mornings and keeps a running log of its delays."
        ),
    },
    {
        "name": "Priya Castellano",
        "slug": "priya-castellano",
        "bio": (
            "Priya Castellano is Newsroom's health and science correspondent. She trained as a "
            "marine biologist before moving into journalism."
        ),
    },
    {
        "name": "Dominic Ashby",
        "slug": "dominic-ashby",
        "bio": (
            "Dominic Ashby has followed the Port Alder Harbourers home and away for more than a "
            "decade. He also covers rowing, running and grassroots sport around the sound."
        ),
    },
    {
        "name": "Hana Whitcombe",
        "slug": "hana-whitcombe",
        "bio": (
            "Hana Whitcombe writes about business, the harbor economy and the cost of living. "
            "Before joining Newsroom she was an analyst at a regional credit union."
        ),
    },
    {
        "name": "Elias Brandt",
        "slug": "elias-brandt",
        "bio": (
            "Elias Brandt covers climate, the environment and the waters of Alder Sound. He grew "
            "up in a fishing family in North Holm and still crews on his uncle's boat in the "
            "summer."
        ),
    },
    {
        "name": "June Abernathy",
        "slug": "june-abernathy",
        "bio": (
            "June Abernathy reports on education, culture and data for Newsroom. She leads the "
            "newsroom's public-records requests and data projects."
        ),
    },
]


TAGS: list[dict[str, str]] = [  # name and slug
    {
        "name": "Housing",
        "slug": "housing",
    },
    {
        "name": "Transport",
        "slug": "transport",
    },
    {
        "name": "Climate",
        "slug": "climate",
    },
    {
        "name": "Elections",
        "slug": "elections",
    },
    {
        "name": "Health",
        "slug": "health",
    },
    {
        "name": "Education",
        "slug": "education",
    },
    {
        "name": "Harbor",
        "slug": "harbor",
    },
    {
        "name": "Football",
        "slug": "football",
    },
    {
        "name": "University",
        "slug": "university",
    },
    {
        "name": "City Budget",
        "slug": "city-budget",
    },
    {
        "name": "Economy",
        "slug": "economy",
    },
    {
        "name": "Technology",
        "slug": "technology",
    },
    {
        "name": "Culture",
        "slug": "culture",
    },
    {
        "name": "Weather",
        "slug": "weather",
    },
    {
        "name": "Fishing",
        "slug": "fishing",
    },
    {
        "name": "Environment",
        "slug": "environment",
    },
    {
        "name": "Startups",
        "slug": "startups",
    },
]


ARTICLES: list[dict[str, Any]] = [  # grouped by section
    {
        "section": "city",
        "headline": "Harbor dredging to start within weeks as silt narrows main shipping channel",
        "slug": "harbor-dredging-to-start-within-weeks",
        "standfirst": (
            "The Port Alder Harbor Authority says the $31 million project will restore the channel "
            "to its full depth for the first time in over a decade, but fishing crews worry about "
            "disruption."
        ),
        "paragraphs": [
            "Dredging of Port Alder's main shipping channel will begin early next month, the Port "
            "Alder Harbor Authority confirmed on Wednesday, ending more than two years of delays "
            "over permits, funding and where to put the hundreds of thousands of tons of silt "
            "that have settled on the harbor floor.",
            "The $31 million project is intended to restore the channel to a depth of 46 feet at "
            "low tide. Surveys carried out last spring found that some stretches near the outer "
            "breakwater had shrunk to less than 36 feet, forcing the largest container ships to "
            "wait for high water before entering or leaving the port.",
            '"Every hour a vessel sits outside the breakwater waiting for the tide costs someone '
            'money, and eventually that cost lands on the people of this city," said Callum '
            "Regan, the authority's chief operating officer. \"This work is overdue, and we are "
            'confident the channel will be back to full depth before the winter storms."',
            "Two dredging barges will work in shifts until the end of the summer. The authority "
            "said the work would be paused for six weeks in late spring to avoid disturbing the "
            "run of sea trout that pass through the harbor mouth on their way up the Alder River "
            "to spawn.",
            "Most of the material will be taken by barge to a licensed disposal site 9 miles "
            "offshore. About a fifth of it, mostly clean sand from the outer channel, will be "
            "used to rebuild the eroded beach at Gull Point, a plan that local residents' groups "
            "have supported since it was first proposed.",
            "Not everyone is reassured. Deirdre Fallon, who skippers a crab boat out of the inner "
            "harbor, said owners of smaller fishing vessels had been given little information "
            "about which areas would be closed and when. \"We've had one letter and a map that "
            "doesn't match the one on their website,\" she said.",
            "The authority said it would hold two drop-in sessions for boat owners at the harbor "
            "master's office in the coming weeks, and would publish a weekly schedule of "
            "closures, with maps, on its website and on the noticeboard at the fish quay once "
            "work begins.",
        ],
        "authors": ["elias-brandt"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["harbor", "environment", "fishing"],
        "hours_ago": 20,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "Two dredging barges will work in the main channel in shifts until late summer."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract harbor scene in navy and teal, with a coral sun above "
                "layered waves and tall red blocks suggesting cranes."
            ),
            "palette": "harbour",
        },
        "corrections": [],
    },
    {
        "section": "city",
        "headline": "Waits for hip and knee surgery at Alder Regional Hospital stretch to 41 weeks",
        "slug": "hip-and-knee-surgery-waits-stretch-to-41-weeks",
        "standfirst": (
            "Figures obtained by Newsroom show the median wait for a joint replacement has nearly "
            "doubled in three years, as the hospital struggles to staff its operating rooms."
        ),
        "paragraphs": [
            "Patients waiting for a hip or knee replacement at Alder Regional Hospital now wait a "
            "median of 41 weeks from referral to surgery, according to figures obtained by "
            "Newsroom through a public-records request. That is nearly double the 22 weeks "
            "recorded three years ago.",
            "The data, covering every orthopedic referral made to the hospital over the past "
            "three years, show that the number of people on the waiting list has risen from about "
            "1,900 to more than 3,400. Roughly one in eight of them has now been waiting longer "
            "than a year for an operation.",
            "Hospital executives do not dispute the figures. In a written statement, the hospital "
            'said demand for joint surgery had "grown faster than our capacity to meet it" and '
            'that it was "working urgently" to add operating time on evenings and weekends, as '
            "well as sending some less complex cases to a day-surgery unit.",
            "Behind the numbers are people like Arthur Penhallow, a 68-year-old retired ferry "
            "engineer from the Eastbank neighborhood, who was told he needed a new left knee in "
            'the spring of last year. He is still waiting for a date. "I used to walk the sea '
            'wall every morning," he said. "Now I plan my day around how far it is to the next '
            'bench."',
            "Staff shortages are at the heart of the problem. The hospital has eight operating "
            "rooms suitable for orthopedic work, but on an average weekday in the last quarter "
            "only five were in use, according to internal scheduling reports reviewed by "
            "Newsroom. The rest sat idle because there were not enough anesthesiologists or "
            "specialist nurses to run them.",
            "Dr. Miriam Achterberg, who chairs the hospital's surgical division, said recruitment "
            'had become "a constant battle" against larger cities that can offer higher pay. '
            '"We train excellent people here, and then a good number of them leave within two '
            'years," she said. "Housing costs in Port Alder are part of that conversation now '
            'in a way they were not a decade ago."',
            "Longer waits carry clinical costs. Orthopedic surgeons interviewed for this article "
            "said patients who wait many months often lose muscle strength, gain weight and "
            "become more dependent on painkillers, all of which can make both the operation and "
            "the recovery afterward harder.",
            "The regional health board approved an extra $6.2 million for surgical capacity in "
            "its most recent budget, money the hospital says will fund two additional operating "
            "teams. The first is expected to start work later this year, though the hospital "
            "cautioned that recruiting the second team could take considerably longer.",
            "Some patients are paying to go elsewhere. A private clinic in Kestrel Bay, 40 miles "
            "up the coast, told Newsroom its joint-replacement bookings from Port Alder residents "
            "had tripled in two years. A single knee replacement there costs about $24,000, well "
            "beyond the means of most people on the hospital's list.",
            "City Councilmember Rosalind Garvey, who represents Eastbank, said she planned to ask "
            "the health board to appear before the council's community committee. \"People have "
            'been patient for a long time," she said. "They deserve a straight answer about '
            "when this is going to get better, and what the plan is if it doesn't.\"",
            "The hospital said patients who believe their condition has worsened while they wait "
            "should contact their family doctor, who can ask for the referral to be reviewed and, "
            "where the evidence supports it, moved up the list. It also pointed patients to its "
            "free physical therapy classes for people awaiting surgery.",
        ],
        "authors": ["priya-castellano", "june-abernathy"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["health", "city-budget"],
        "hours_ago": 6,
        "status": "published",
        "must_read": True,
        "photo": {
            "caption": (
                "Alder Regional Hospital treats patients from across the coast and the inland "
                "valleys."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract cityscape in slate gray and off-white, with a red sun "
                "above layered hills and upright red blocks."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "city",
        "headline": "Storm Idris brings 90 mph gusts to the coast, cutting power to 12,000 homes",
        "slug": "storm-idris-cuts-power-to-12000-homes",
        "standfirst": (
            "Crews worked through the night to restore electricity as the storm toppled trees, "
            "closed the seafront road and halted trams across the eastern half of the city."
        ),
        "paragraphs": [
            "Storm Idris swept across Port Alder overnight with gusts reaching 90 mph at the Gull "
            "Point weather station, toppling trees, tearing roofing from buildings in the "
            "Eastbank and Saltings neighborhoods and leaving about 12,000 homes without power at "
            "the height of the storm.",
            "By mid-morning on Thursday, Alder Grid, the regional electricity network operator, "
            "said supply had been restored to all but 2,300 properties. Most of those were in the "
            "hillside streets above Northgate, where a fallen oak brought down a line and damaged "
            "the fence around a substation.",
            "No serious injuries were reported. The Port Alder Fire Department said it had "
            "responded to 146 storm-related calls between 8 p.m. and 6 a.m., more than four times "
            "a normal night. Most involved fallen trees, loose scaffolding and flooded basements.",
            "The seafront road between the ferry terminal and Gull Point was closed for much of "
            "the night after waves threw shingle and debris across both lanes. City crews began "
            "clearing it at first light, and officials said they expected it to reopen to traffic "
            "by late afternoon.",
            "Trams on Line 3, which runs along the exposed eastern edge of the city, were "
            "suspended at 9 p.m. when a tree fell across the overhead wires near Tannery Lane. "
            "Port Alder Transit said Line 3 resumed a limited service shortly before noon. Lines "
            "1 and 2 ran throughout the night with minor delays.",
            '"It was the loudest night I can remember in 30 years on this street," said Glenys '
            "Marr, who lives in a terrace of fishermen's cottages in the Saltings. Part of her "
            "neighbor's chimney came through the roof of her kitchen at about 1 a.m. \"We sat in "
            'the hallway with a flashlight until it calmed down."',
            "All schools in the city opened as normal except Saltings Elementary, which closed "
            "for the day after rainwater came through a damaged skylight into two classrooms. The "
            "school district said it hoped to reopen the building on Friday once the roof had "
            "been made safe.",
            "Forecasters at the regional weather service said Idris was the strongest storm to "
            "hit this stretch of coast in six years. A weaker system is expected on Saturday, "
            "bringing heavy rain but lower winds, and the service has issued a yellow warning for "
            "possible flooding in low-lying streets near the river mouth.",
            "The city said it would open its emergency repair fund to homeowners whose roofs were "
            "damaged, offering grants of up to $2,000 for temporary repairs while insurance "
            "claims are processed. Households can apply through the city's website or in person "
            "at the Eastbank and Saltings libraries, which will stay open late on Thursday and "
            "Friday.",
            "Residents can report fallen trees and blocked drains to the city's non-emergency "
            "line. Alder Grid has asked anyone who sees a downed power line to stay at least 30 "
            "feet away, to keep children and pets clear of it, and to call the company's "
            "emergency number immediately.",
        ],
        "authors": ["tobias-lindqvist", "elias-brandt"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["weather", "transport", "climate"],
        "hours_ago": 9,
        "status": "published",
        "must_read": True,
        "photo": {
            "caption": (
                "The storm reached its peak shortly after midnight, according to the weather "
                "station at Gull Point."
            ),
            "credit": "Sami Ketola / Newsroom",
            "alt": (
                "Illustration: an abstract night scene in deep indigo and violet, with a pale "
                "lilac moon over layered dark hills and lavender blocks."
            ),
            "palette": "night",
        },
        "corrections": [
            {
                "kind": "update",
                "text": (
                    "This article has been updated with the latest figures from Alder Grid on the "
                    "number of homes still without power, and with the resumption of limited "
                    "service on tram Line 3."
                ),
                "hours_after": 4,
            },
        ],
    },
    {
        "section": "city",
        "headline": "Maritime museum reopens with a restored 1890s pilot cutter as its centerpiece",
        "slug": "maritime-museum-reopens-with-restored-pilot-cutter",
        "standfirst": (
            "After an 18-month renovation, the Port Alder Maritime Museum has a new glass hall "
            "built around the Wren, the last surviving boat of the harbor's old pilot service."
        ),
        "paragraphs": [
            "The Port Alder Maritime Museum reopened its doors on Saturday after an 18-month, "
            "$7.8 million renovation, with a new glass-roofed hall built around the Wren, a "
            "wooden pilot cutter launched in 1894 that is the last surviving vessel of the "
            "harbor's original pilot service.",
            "For more than 40 years, the Wren and her crew met incoming ships beyond the outer "
            "breakwater and put a pilot aboard to guide them through the sandbanks into port. She "
            "was retired in the 1930s, spent decades as a houseboat on the Alder River and was "
            "close to collapse when a volunteer trust bought her for a single dollar.",
            "Restoring the hull took volunteers and two professional shipwrights more than 11,000 "
            "hours. About 40 percent of the original oak planking was saved; the rest was "
            "replaced with timber from a stand of storm-felled trees in the hills above North "
            "Holm, donated by the landowner.",
            '"People expect a museum piece to look perfect, but we wanted visitors to see the '
            "repairs and the old wood side by side,\" said Annika Ferreira, the museum's curator. "
            '"The patches are part of her story. Every one of them tells you something about how '
            'she was used and how she was loved."',
            "The renovation also added a children's gallery with a working model of the harbor's "
            "lock gates, a study room for the museum's archive of ship logs and crew lists, and a "
            "rooftop terrace overlooking the inner harbor. The museum said more than 2,600 people "
            "visited over the opening weekend.",
            "Admission remains free for city residents under 18 and over 65. The museum is open "
            "Tuesday through Sunday and closed on Mondays except public holidays. Volunteers are "
            "running free guided tours of the Wren at 11 a.m. and 2 p.m. every Saturday for the "
            "rest of the year.",
        ],
        "authors": ["june-abernathy"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["culture", "harbor"],
        "hours_ago": 140,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "The Wren, built in 1894, guided ships into Port Alder for more than four decades."
            ),
            "credit": "Odile Brecht for Newsroom",
            "alt": (
                "Illustration: an abstract seascape in navy and pale blue, with a coral sun low "
                "over rolling teal waves and a cluster of red blocks."
            ),
            "palette": "harbour",
        },
        "corrections": [],
    },
    {
        "section": "city",
        "headline": (
            "Three elementary schools to share one principal under district consolidation plan"
        ),
        "slug": "three-elementary-schools-to-share-one-principal",
        "standfirst": (
            "The Port Alder school district says falling enrollment in the western neighborhoods "
            "leaves it little choice. Parents say they were not consulted."
        ),
        "paragraphs": [
            "Three elementary schools in Port Alder's western neighborhoods will share a single "
            "principal from the next school year under a plan approved by the school board on "
            "Monday, as the district tries to save money in the face of steadily falling "
            "enrollment.",
            "Westmoor, Linden Row and Copper Hill elementary schools together enroll 540 "
            "students, down from about 720 a decade ago. Each will keep its own building, "
            "teachers and assistant principal, but the three will be run as a single federation "
            "with a shared budget and one head. The district estimates the change will save about "
            "$310,000 a year.",
            "Board member Teodor Vance, who voted for the plan, said the alternative was closing "
            'one of the schools outright. "This keeps three schools open in three '
            'neighborhoods," he said. "That matters to families who walk their kids to class, '
            'and it matters to the streets around those buildings."',
            "Parents at Linden Row, where the current principal is due to retire this summer, "
            "said they had learned of the plan from a newsletter. A petition asking the board to "
            "delay the decision for a year had gathered more than 400 signatures by Tuesday "
            "evening. The district said it would hold meetings at each school before the end of "
            "the term.",
        ],
        "authors": ["june-abernathy"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["education", "city-budget"],
        "hours_ago": 60,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "Enrollment at the three schools has fallen by about a quarter over the past "
                "decade."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract scene in slate and pale gray, with a red sun above soft "
                "layered hills and a row of small red blocks."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "city",
        "headline": "Gullside tenants fight eviction as landlord seeks to redevelop 1920s terrace",
        "slug": "gullside-tenants-fight-eviction",
        "standfirst": (
            "Twenty-two households have been served notices to leave a row of rent-stabilized "
            "apartments that the owner wants to replace with a seven-story building."
        ),
        "paragraphs": [
            "Tenants in a row of 1920s apartment buildings on Gullside Terrace have formed an "
            "association to fight eviction notices served on 22 households last month by a "
            "property company that plans to demolish the terrace and build a seven-story block in "
            "its place.",
            "The notices, issued by Bramwell Coastal Holdings, give tenants 90 days to leave. The "
            "company says it is acting within the law and has offered each household a relocation "
            "payment of $4,500 and help finding a new home, including a list of vacant apartments "
            "in its other buildings.",
            "Residents say that is nowhere near enough. Average rents for a two-bedroom apartment "
            "in Port Alder have risen by 38 percent in five years, according to the city's own "
            "housing report, and several of the Gullside tenants have lived in the terrace for "
            "more than two decades on rent-stabilized leases.",
            '"Four and a half thousand dollars covers a deposit and a month, maybe two," said '
            "Oksana Dery, a school cafeteria worker who has lived on the terrace with her two "
            'sons for 18 years. "After that, where do we go? There is nothing in this '
            "neighborhood we can afford, and my boys' school is at the end of the street.\"",
            "The tenants' association has hired a lawyer from the Alder Legal Aid Center, who "
            "argues that the notices may be invalid because the company has not yet received "
            "approval for the new building from the city's planning commission. Without that "
            "approval, she said, the law does not allow landlords of rent-stabilized units to "
            "evict for redevelopment.",
            'In a statement, Bramwell Coastal Holdings said the buildings required "extensive '
            'and costly structural work" and that the new development would include 96 '
            "apartments, 15 of which would be offered at below-market rents. It said existing "
            "tenants would be given priority for those units.",
            "The application is due to go before the planning commission next month. "
            "Councilmember Felix Andrade, whose ward includes Gullside, said he had asked city "
            "staff to review whether the eviction notices complied with the rent-stabilization "
            "ordinance, and would raise the case at the housing committee.",
            "The association is holding a public meeting at the Gullside community hall next "
            "Thursday at 7 p.m. Organizers said they had invited the company, the city's housing "
            "department and all candidates in the upcoming Harborside special election to attend "
            "and answer questions from residents.",
        ],
        "authors": ["tobias-lindqvist"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["housing"],
        "hours_ago": 30,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "The Gullside terrace was built in 1924 for workers at the nearby rope factory."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract street scene in charcoal and gray, with a red sun over "
                "layered rooftops and a row of tall red blocks."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "city",
        "headline": "Night trams return to Line 2 after a two-year absence",
        "slug": "night-trams-return-to-line-2",
        "standfirst": (
            "Port Alder Transit will run a tram every 20 minutes between midnight and 5 a.m. on "
            "Fridays and Saturdays, a service suspended during a driver shortage."
        ),
        "paragraphs": [
            "Overnight tram service will return to Port Alder's Line 2 this weekend for the first "
            "time in two years, Port Alder Transit announced on Tuesday, restoring a late-night "
            "link between the university, the city center and Alder Regional Hospital that shift "
            "workers and students have been asking for since it was cut.",
            "Trams will run every 20 minutes between midnight and 5 a.m. on Friday and Saturday "
            "nights. The night service was suspended two years ago when a shortage of qualified "
            "drivers forced the transit agency to cut timetables across the network, and it has "
            "been one of the most requested changes since.",
            "The agency said it had since trained 34 new drivers, enough to restore the weekend "
            "night service without taking staff away from daytime routes. A return of night trams "
            "on weekdays is not planned for now, though the agency said it would review ridership "
            "figures after six months.",
            "Hospital staff were among the most vocal supporters of bringing the service back. "
            '"Nurses finishing a late shift at midnight have been paying for taxis or waiting 40 '
            'minutes for a night bus that takes the long way round," said Bettina Kowal, a '
            'representative of the hospital\'s nursing union. "This makes a real difference."',
            "Business owners in the Old Quay entertainment district also welcomed the "
            "announcement, saying the lack of late transport had cut into weekend trade. The "
            "university's student association said it had collected more than 3,000 signatures on "
            "a petition calling for night trams last year.",
            "Fares on the night service will be the same as daytime fares, and transit passes and "
            "the agency's mobile ticketing app will be accepted. Each night tram will carry a "
            "second staff member in addition to the driver, a measure the agency said was "
            "intended to reassure passengers traveling alone.",
        ],
        "authors": ["tobias-lindqvist"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["transport"],
        "hours_ago": 200,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "Line 2 links the university campus, the city center and the hospital.",
            "credit": "Sami Ketola / Newsroom",
            "alt": (
                "Illustration: an abstract night scene in indigo and purple, with a glowing lilac "
                "disc above dark layered hills and a line of lavender blocks."
            ),
            "palette": "night",
        },
        "corrections": [],
    },
    {
        "section": "city",
        "headline": "Library card sign-ups double in the six months after late fines were scrapped",
        "slug": "library-sign-ups-double-after-fines-scrapped",
        "standfirst": (
            "Port Alder Public Library says the end of overdue charges has brought back thousands "
            "of lapsed borrowers, and most books are still coming back on time."
        ),
        "paragraphs": [
            "Port Alder Public Library registered 4,870 new library cards in the six months after "
            "it stopped charging fines for overdue books, more than twice the number in the same "
            "period a year earlier, according to figures presented to the library board on "
            "Thursday.",
            "The library ended late fines after a review found that unpaid charges had blocked "
            "about 9,000 residents from borrowing, many of them children and older people in the "
            "city's lower-income neighborhoods. Fines had brought in about $52,000 a year, less "
            "than one percent of the library's budget.",
            "Library director Nkechi Harland said fears that books would stop coming back had not "
            'materialized. "Our return rate is essentially unchanged," she said. "What has '
            "changed is that families who stayed away for years are walking back through the "
            'door." Items not returned within 60 days are still billed at replacement cost.',
        ],
        "authors": ["june-abernathy"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["culture", "education"],
        "hours_ago": 400,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "city",
        "headline": "Kestrel Bay ferry cancelled for another week as engine repairs drag on",
        "slug": "kestrel-bay-ferry-cancelled-for-another-week",
        "standfirst": (
            "Commuters face a 70-mile detour by road while the only vessel on the route waits for "
            "parts."
        ),
        "paragraphs": [
            "The passenger ferry between Kestrel Bay and Port Alder will remain out of service "
            "for at least another week while its operator waits for replacement engine parts, "
            "leaving commuters facing a road journey of more than 70 miles around the head of the "
            "sound.",
            "The Sound Runner, the only vessel on the route, was withdrawn 10 days ago after an "
            "engineer found a cracked component in one of its two engines. Its operator, Sound "
            "Ferries, said the part had to be manufactured to order and was not expected to "
            "arrive until late next week.",
            "About 600 people a day use the 35-minute crossing, many of them workers at Alder "
            "Regional Hospital and students at Port Alder University. Sound Ferries has laid on "
            "two extra express buses each morning and evening, but passengers say the journey can "
            "take more than two hours in traffic.",
            "Kestrel Bay's mayor, Lorna Eastwick, said the breakdown showed the risk of relying "
            'on a single boat. "One cracked part and a whole town is cut off from its jobs," '
            "she said. The regional transport authority has said it will consider funding a "
            "backup vessel in next year's budget.",
        ],
        "authors": [],
        "agency": "Coastline Press",
        "dateline": "KESTREL BAY",
        "tags": ["transport", "harbor"],
        "hours_ago": 90,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "city",
        "headline": "Who owns Port Alder's empty storefronts? A block-by-block survey",
        "slug": "who-owns-port-alders-empty-storefronts",
        "standfirst": (
            "Newsroom reporters walked every block of the city center and matched vacant shops "
            "with property records. Here is what we found."
        ),
        "paragraphs": [
            "Over four weeks this winter, Newsroom reporters walked every block of Port Alder's "
            "city center and recorded the state of 612 ground-floor commercial units. Of those, "
            "103 were empty, and 41 had been vacant for more than a year, according to neighbors, "
            "signage and city business-license records.",
            "We then matched each empty unit to the owner listed in county property records. Just "
            "five companies own 38 of the long-term vacant units between them. Three of those "
            "companies are registered at the same address, a suite in an office building on "
            "Chandler Street.",
            "Property owners give different reasons for keeping units empty. Some are waiting for "
            "planning decisions on larger redevelopments; others say the rents offered by "
            "would-be tenants do not cover their costs. Two owners contacted for this article did "
            "not respond to repeated requests for comment.",
            "The city has limited tools to intervene. A vacancy fee was proposed by two "
            "councilmembers four years ago but never brought to a vote. City staff said at the "
            "time that such a fee would be difficult to enforce without a register of empty "
            "properties, which Port Alder does not keep.",
        ],
        "authors": ["june-abernathy", "hana-whitcombe"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["housing", "economy", "city-budget"],
        "hours_ago": None,
        "status": "draft",
        "must_read": False,
        "photo": {
            "caption": "One in six ground-floor shops in the city center is currently empty.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract street scene in deep teal and mustard, with an orange "
                "sun above layered hills and scattered terracotta blocks."
            ),
            "palette": "market",
        },
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": "Council approves $214 million tram extension to Northgate in 9–4 vote",
        "slug": "council-approves-northgate-tram-extension",
        "standfirst": (
            "The 3.8-mile extension of Line 1 will add seven stops and is due to open in four "
            "years, making it the largest transport project in Port Alder in a generation."
        ),
        "paragraphs": [
            "Port Alder City Council voted 9–4 on Tuesday night to approve a $214 million "
            "extension of tram Line 1 to the fast-growing Northgate district, ending years of "
            "debate over the city's most expensive transport project in a generation and handing "
            "Mayor Ingrid Solberg the biggest win of her time in office.",
            "The 3.8-mile extension will run from the current terminus at Mill Square along "
            "Northgate Road to a new interchange next to the Northgate retail park, with seven "
            "new stops along the way. Construction is expected to begin next spring, and the city "
            "hopes to open the line to passengers in four years.",
            "The vote followed more than four hours of debate and public comment. Supporters "
            'packed one side of the public gallery holding placards reading "Tram to Northgate '
            'Now"; on the other side, a smaller group of business owners from Northgate Road '
            "warned that years of construction would drive away their customers.",
            "Solberg, who made the extension a central promise of her last campaign, called the "
            'vote "a decision for the next 50 years, not the next five." She said the line '
            "would connect about 28,000 residents of Northgate to jobs in the city center, the "
            "university and the hospital without adding traffic to already congested roads.",
            "The project will be funded by a $120 million grant from the regional transport fund, "
            "$54 million in city borrowing and $40 million from developer contributions tied to "
            "new housing along the route. City finance staff estimate that the borrowing will "
            "cost about $3.1 million a year to repay over 30 years.",
            "Opponents focused on the cost and the risk of overruns. Councilmember Harlan Voss, "
            "who leads the council's four-member opposition bloc, noted that the last major city "
            "infrastructure project, the Eastbank flood wall, finished 40 percent over budget. "
            '"We are being asked to sign a blank check and hope for the best," he said.',
            "City engineers said the estimate includes a contingency of $26 million, about 12 "
            "percent of the total, and that construction contracts will be let in fixed-price "
            "phases to limit the city's exposure. An independent review commissioned last year "
            'judged the cost estimate "reasonable but not conservative."',
            "Along Northgate Road, opinion is divided. Soraya Lindahl, who runs a bakery near the "
            "planned Elm Cross stop, lived through two years of water-main works on the road a "
            'decade ago. "We nearly closed," she said. "I want the tram, I really do, but I '
            'need to know the city will help us survive the digging."',
            "In response to those concerns, the council unanimously approved an amendment "
            "requiring the city to set up a $2 million support fund for small businesses on the "
            "route during construction, and to keep at least one lane of traffic in each "
            "direction open at all times.",
            "Transport advocates said the extension could be the first of several. The city's "
            "long-term transport plan includes a possible branch of Line 3 to the Saltings and a "
            "link across the river to Kestrel Road, though neither project has funding and both "
            "remain years away from a council vote.",
            "The council will review the detailed construction schedule later this year. A public "
            "consultation on the design of the seven new stops, including shelters, lighting and "
            "bicycle parking, is expected to open in the coming weeks, with drop-in sessions "
            "planned at libraries along the route.",
        ],
        "authors": ["maren-okafor", "tobias-lindqvist"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["transport", "city-budget", "housing"],
        "hours_ago": 26,
        "status": "published",
        "must_read": True,
        "photo": {
            "caption": (
                "Supporters and opponents of the extension packed the public gallery at City Hall "
                "on Tuesday night."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract civic scene in slate and off-white, with a red sun over "
                "layered gray hills and a row of red blocks like tram cars."
            ),
            "palette": "civic",
        },
        "corrections": [
            {
                "kind": "correction",
                "text": (
                    "An earlier version of this article misstated the number of new stops on the "
                    "extension. There will be seven new stops, not eight."
                ),
                "hours_after": 3,
            },
        ],
    },
    {
        "section": "politics",
        "headline": "Mayor Ingrid Solberg says she will not seek a third term",
        "slug": "mayor-solberg-will-not-seek-third-term",
        "standfirst": (
            "The announcement throws open next year's mayoral race. Solberg, 61, said she wants to "
            "see the Northgate tram extension approved but not to run the city for another four "
            "years."
        ),
        "paragraphs": [
            "Port Alder Mayor Ingrid Solberg announced on Friday that she will not run for a "
            "third term, throwing open next year's mayoral election and setting off a scramble "
            "among potential successors on the city council and beyond in a city that has not had "
            "an open mayoral race in eight years.",
            "Solberg, 61, made the announcement at a short news conference on the steps of City "
            "Hall, flanked by her family and several members of her staff. She said the decision "
            'had been "made over many months and many long walks" and was not related to her '
            "health.",
            '"Eight years is a long time to hold an office like this, and I believe the city is '
            'better served by new energy and new ideas," she said. "I intend to spend every one '
            'of my remaining days in this job working as hard as I did on my first."',
            "A former harbor pilot and later head of the port workers' union, Solberg was first "
            "elected in a narrow race eight years ago and re-elected four years later with 58 "
            "percent of the vote. Her time in office has been defined by the Northgate tram "
            "extension, a citywide program to replace lead water pipes and a long-running dispute "
            "with the regional government over hospital funding.",
            "Her critics say she has been slow to tackle the city's housing shortage. Rents have "
            "risen sharply during her two terms, and a plan to build 2,000 affordable homes on "
            "former rail yards in the Saltings remains stalled after a dispute over who should "
            "pay to clean up the contaminated land.",
            "At least three councilmembers are said to be considering a run, including Felix "
            "Andrade, who chairs the council's housing committee, and Harlan Voss, leader of the "
            'opposition bloc. Neither would confirm their plans on Friday. "Today is about the '
            'mayor," Voss said. "There will be time for the rest."',
            "Candidates must file nomination papers at least 10 weeks before election day. The "
            "city clerk's office said it would publish a guide for prospective candidates, "
            "covering signature requirements and campaign finance rules, early in the new year, "
            "and would hold an information session for would-be candidates at City Hall.",
        ],
        "authors": ["maren-okafor"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["elections"],
        "hours_ago": 75,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "Ingrid Solberg was first elected mayor eight years ago.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract civic scene in charcoal and pale gray, with a red sun "
                "high above layered hills and a single tall red block."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": (
            "Four candidates, one seat: the race to represent Harborside on the city council"
        ),
        "slug": "four-candidates-race-for-harborside-seat",
        "standfirst": (
            "A retired teacher, a startup founder, a union organizer and a fishing-boat owner are "
            "competing in a special election triggered by the resignation of the ward's "
            "councilmember."
        ),
        "paragraphs": [
            "Four candidates have qualified for the ballot in the special election to fill the "
            "Harborside ward seat on Port Alder City Council, left vacant when Councilmember "
            "Dorothy Quill resigned in the fall to take a job with the regional government.",
            "The ward, which stretches from the ferry terminal to the edge of the Old Quay "
            "district, is among the city's most varied. It includes the working fishing harbor, a "
            "cluster of new waterfront apartment towers and some of Port Alder's oldest public "
            "housing, built for dock workers in the years after the war.",
            "Marguerite Olsen, a retired high school history teacher, is running on a platform of "
            "tenant protections and more frequent bus service. Ravi Pemberton, who founded a "
            'logistics software company based in the Old Quay, says the ward needs "a '
            'councilmember who understands how to get things built."',
            "Tomasz Wierzba, an organizer with the harbor workers' union, has the endorsement of "
            "several labor groups and has promised to oppose any further sale of port-authority "
            "land to private developers. Colm Haverty, who owns two fishing boats and a seafood "
            'stall at the Alder Street Market, says the fishing fleet has been "an afterthought '
            'at City Hall for too long."',
            "Housing dominated a candidates' forum at the Harborside community center on Monday, "
            "attended by about 150 residents. All four candidates said they supported building "
            "more affordable homes in the ward, but they differed sharply on whether the city "
            "should allow taller buildings along the waterfront to make that possible.",
            "Voting takes place in three weeks. If no candidate wins more than half of the vote, "
            "which observers consider likely in a four-way race, the top two finishers will meet "
            "in a runoff 14 days later. Early voting opens at City Hall and the Harborside "
            "library a week before election day.",
        ],
        "authors": ["maren-okafor"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["elections", "housing", "harbor"],
        "hours_ago": 180,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": "City budget gap widens to $18 million as pension and insurance costs climb",
        "slug": "city-budget-gap-widens-to-18-million",
        "standfirst": (
            "Finance staff told councilmembers that without cuts or new revenue, Port Alder will "
            "have to draw down its reserves for a second straight year."
        ),
        "paragraphs": [
            "Port Alder faces an $18 million gap in next year's budget, up from an estimate of "
            "$11 million earlier this year, the city's chief financial officer told the council's "
            "finance committee on Wednesday, warning that the figure could grow further if "
            "interest rates stay high.",
            "Most of the increase is driven by two costs the city has little control over in the "
            "short term. Contributions to the municipal employees' pension fund will rise by $4.4 "
            "million after the fund lowered its assumed rate of investment return, and the city's "
            "property insurance premiums are up by nearly a third after a string of severe storms "
            "along the coast.",
            '"None of these pressures is unique to Port Alder, but they are arriving all at '
            'once," said chief financial officer Bernadette Oyelaran. She said the city could '
            "close part of the gap by leaving vacant positions unfilled but warned that doing so "
            'across every department would "start to show up in services residents notice."',
            "The city's reserves stand at about $71 million. Drawing on them to balance the "
            "budget for a second consecutive year would bring them close to the minimum level "
            "recommended by the city's own financial policies, Oyelaran said, and could put "
            "pressure on the city's credit rating.",
            "Councilmembers from both sides of the chamber said they were not ready to discuss "
            "tax increases. Property tax rates in Port Alder have not risen in five years, and "
            "with a mayoral election due next year, few members appear willing to be the first to "
            "propose one.",
            "Some options are already on the table. Staff have proposed raising fees for parking "
            "permits and sports field rentals, pausing the planned resurfacing of several "
            "residential streets, and reducing library hours on Sundays, a proposal that drew "
            "immediate criticism from members of the library board.",
            "The mayor's office will present a full draft budget in about two months, followed by "
            "a series of public hearings in each ward. Under the city charter, the council must "
            "adopt a balanced budget before the start of the new fiscal year, and it cannot plan "
            "to borrow to cover day-to-day spending.",
        ],
        "authors": ["maren-okafor", "hana-whitcombe"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["city-budget", "economy"],
        "hours_ago": 110,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "The city's general fund budget for the current year is about $640 million.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract composition in slate and white, with a red sun above "
                "stepped gray hills and red blocks of different heights like a bar chart."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": (
            "Voters approve $60 million schools bond, but turnout is the lowest in two decades"
        ),
        "slug": "voters-approve-schools-bond-on-low-turnout",
        "standfirst": (
            "Just 19 percent of registered voters took part in the special election, prompting "
            "calls to hold local ballot measures on the same day as regular elections."
        ),
        "paragraphs": [
            "Port Alder voters approved a $60 million bond to repair and modernize school "
            "buildings on Tuesday, with 64 percent voting in favor. But only 19 percent of the "
            "city's registered voters cast a ballot, the lowest turnout for a citywide vote in at "
            "least 20 years, according to the county elections office.",
            "The bond will pay for new roofs, heating systems and accessible entrances at 14 "
            "schools, as well as the replacement of the 1960s science wing at Harbor View High "
            "School. The district said work on the most urgent projects, including two roofs that "
            "leak into classrooms, would begin next summer.",
            "Elections officials said the low turnout was partly a consequence of holding the "
            'vote on its own rather than alongside a regular election. "Standalone special '
            'elections are always a struggle," said county registrar Anselm Duquette. "People '
            "don't know it's happening, or it's dark and wet and they don't make the trip.\"",
            "Several councilmembers said the result, though positive for schools, raised "
            "questions about legitimacy. Councilmember Rosalind Garvey said she would propose "
            "that future city ballot measures be scheduled only on the dates of regular "
            'elections, except in an emergency. "A decision this important should be made by '
            'more than one voter in five," she said.',
            "The school district said it would publish a list of projects and a timeline on its "
            "website within the month, and would set up a citizens' oversight committee to "
            "monitor spending, as required under the terms of the bond. Applications to join the "
            "committee will open next week and are open to any city resident.",
        ],
        "authors": ["june-abernathy", "maren-okafor"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["elections", "education", "city-budget"],
        "hours_ago": 520,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "Polling places reported long quiet spells throughout the day.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract scene in gray and white, with a red sun over layered "
                "pale hills and a few scattered red blocks."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": "Regional assembly backs fishing quota compromise after late-night session",
        "slug": "regional-assembly-backs-fishing-quota-compromise",
        "standfirst": (
            "The deal softens a proposed cut to the cod catch but introduces seasonal closures in "
            "spawning grounds off North Holm."
        ),
        "paragraphs": [
            "The regional assembly approved a compromise on next year's fishing quotas shortly "
            "after 1 a.m. on Thursday, cutting the permitted cod catch in Alder Sound by 20 "
            "percent rather than the 35 percent recommended by the regional fisheries science "
            "panel.",
            "In exchange, the assembly agreed to close two spawning areas off North Holm to all "
            "bottom trawling for the first four months of each year, and to fund a three-year "
            "survey of juvenile cod stocks. The measure passed by 31 votes to 24, with several "
            "members of the governing coalition voting against.",
            "Fishing organizations, which had warned that a 35 percent cut would force dozens of "
            "boats out of business, cautiously welcomed the deal. \"It's painful, but it's "
            "survivable,\" said Henrik Aalto, chair of the Alder Sound Fishermen's Association, "
            'speaking outside the assembly building in North Holm. "The original proposal was '
            'not."',
            "Scientists and conservation groups were less happy. The science panel's report, "
            "published in the fall, found that the spawning stock of cod in the sound had fallen "
            "to about 40 percent of its level 15 years ago and warned that anything less than a "
            "30 percent reduction risked further decline.",
            '"We understand the pressures on fishing communities, but the fish do not '
            'negotiate," said Dr. Saoirse Lindgren, a marine ecologist who sat on the panel. '
            "\"If the stock keeps falling, the cuts in three years' time will be far deeper than "
            'anything on the table today."',
            "Assembly members from the coastal districts argued that the spawning closures would "
            "do more to protect the stock than a headline quota cut. The fisheries minister, Per "
            'Olafsen, said the survey would give the assembly "the evidence it needs" to '
            "revisit the quota if cod numbers do not recover.",
            "The new quotas take effect at the start of the year. Fish processors in Port Alder "
            "and Greywater have already warned that even the smaller cut will mean fewer seasonal "
            "jobs on their production lines over the winter months, and several have asked the "
            "regional government for transition support.",
        ],
        "authors": ["elias-brandt"],
        "agency": "NWA",
        "dateline": "NORTH HOLM",
        "tags": ["fishing", "environment", "harbor"],
        "hours_ago": 300,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "About 140 commercial fishing boats are registered in ports along Alder Sound."
            ),
            "credit": "NWA",
            "alt": (
                "Illustration: an abstract seascape in navy, teal and pale blue, with a coral sun "
                "rising over layered waves and small red blocks like moored boats."
            ),
            "palette": "harbour",
        },
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": "Council to debate cap on short-term rentals as housing pressure mounts",
        "slug": "council-to-debate-short-term-rental-cap",
        "standfirst": (
            "A proposal to limit whole-home vacation rentals to 90 nights a year goes before the "
            "full council, with hosts and housing advocates expected to fill the public gallery."
        ),
        "paragraphs": [
            "Port Alder City Council will debate a proposal this week to cap the number of nights "
            "that whole homes can be rented out to short-term visitors, the most significant "
            "attempt yet to regulate a market that housing advocates say has swallowed hundreds "
            "of apartments in the city's most popular neighborhoods.",
            "Under the proposal, drafted by the council's housing committee, owners who do not "
            "live on the property would be allowed to rent it out for no more than 90 nights a "
            "year. Hosts renting out a room in their own home would be exempt. All short-term "
            "rentals would have to register with the city and display a registration number on "
            "every listing.",
            "City data suggest about 1,450 whole homes are listed as short-term rentals in Port "
            "Alder, nearly three-quarters of them in Old Quay, Harborside and the Saltings. On "
            "some blocks near the waterfront, more than one apartment in five is listed for short "
            "stays.",
            '"Every one of those is a home that a nurse or a teacher or a fisherman could be '
            'living in," said Felix Andrade, who chairs the housing committee. "We are not '
            "trying to ban anything. We are trying to put homes back in the hands of people who "
            'live and work here."',
            "Hosts argue the cap would hurt families who depend on rental income and the small "
            "businesses that rely on visitors. The Port Alder Hosts Network, which says it "
            "represents about 300 owners, has called for a registration system without a night "
            'limit. "Punish the bad operators, not everyone," said its spokesperson, Linnea '
            "Corrigan.",
            "If approved, the cap would take effect after a six-month transition period. The "
            "meeting begins at 6 p.m. at City Hall and will be streamed live on the city's "
            "website, with public comment limited to two minutes per speaker. More than 60 people "
            "had signed up to speak by Monday afternoon, according to the city clerk.",
        ],
        "authors": ["maren-okafor", "tobias-lindqvist"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["housing", "city-budget"],
        "hours_ago": -6,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "About 1,450 whole homes in Port Alder are listed as short-term rentals, according "
                "to city data."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract townscape in slate and gray, with a red sun above "
                "layered rooftops and a cluster of small red blocks."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": (
            "Ethics panel to examine councilmember's links to harbor maintenance contractor"
        ),
        "slug": "ethics-panel-to-examine-councilmember-links-to-contractor",
        "standfirst": (
            "The city's ethics board will review whether Councilmember Desmond Farrow should have "
            "declared a family connection before voting on a $4.2 million harbor contract."
        ),
        "paragraphs": [
            "Port Alder's ethics board will examine whether Councilmember Desmond Farrow broke "
            "city conflict-of-interest rules by voting on a $4.2 million harbor maintenance "
            "contract awarded to a company where his brother-in-law holds a senior position, the "
            "board's chair confirmed on Thursday after receiving a complaint from a resident.",
            "The contract, for repairs to the inner harbor's sea walls and mooring points, was "
            "approved by the council in a 12–1 vote last year. Records reviewed by Newsroom show "
            "that Farrow's brother-in-law, Martin Selby, has been operations director of the "
            "winning firm, Quayline Marine Services, for the past five years.",
            'City rules require councilmembers to declare any "close family financial interest" '
            "in a matter before them and to abstain from voting on it. Minutes of the meeting "
            "show no declaration by Farrow, who voted in favor of the contract without speaking "
            "during the debate.",
            'In a statement, Farrow said he had "no financial interest whatsoever" in Quayline '
            "and had not considered his brother-in-law's employment to be a declarable interest. "
            '"I welcome the board\'s review and will cooperate fully," he said. Quayline said '
            "the contract had been awarded through competitive bidding and that Selby played no "
            "part in its bid.",
            "The ethics board, made up of five residents appointed by the council, meets in "
            "private. It can issue a public reprimand or refer a matter to the county prosecutor, "
            "but it cannot remove a councilmember from office. A decision is expected within 60 "
            "days.",
        ],
        "authors": ["maren-okafor"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["elections", "harbor", "city-budget"],
        "hours_ago": None,
        "status": "review",
        "must_read": False,
        "photo": {
            "caption": (
                "The contract covered repairs to the inner harbor's sea walls and mooring points."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract scene in charcoal and off-white, with a red sun partly "
                "hidden behind layered gray hills and two red blocks."
            ),
            "palette": "civic",
        },
        "corrections": [],
    },
    {
        "section": "politics",
        "headline": "Opposition councilmembers demand audit of Northgate land purchases",
        "slug": "opposition-demands-audit-of-northgate-land-purchases",
        "standfirst": (
            "Four councilmembers say the city paid above market value for plots along the planned "
            'tram route. The mayor\'s office calls the claim "baseless."'
        ),
        "paragraphs": [
            "The four members of Port Alder City Council's opposition bloc called on Wednesday "
            "for an independent audit of land purchases along the route of the planned Northgate "
            "tram extension, saying the city may have paid well above market value for several "
            "plots.",
            "In a letter to the city auditor, the councilmembers point to three parcels on "
            "Northgate Road bought by the city over the past 18 months for a combined $9.6 "
            "million. They say county assessments valued the same land at about $6.1 million "
            "shortly before the sales were completed.",
            '"We supported the principle of buying land early to keep costs down, but residents '
            'deserve to know that their money was spent wisely," said Councilmember Harlan Voss, '
            "who signed the letter along with Councilmembers Ada Fenwick, Rupert Kaye and Lucinda "
            "Morrow.",
            'A spokesperson for Mayor Ingrid Solberg called the claim "baseless," saying county '
            "assessments routinely lag behind sale prices and that every purchase had been backed "
            "by at least two independent valuations. The city auditor's office confirmed it had "
            "received the letter and said it would respond within 10 business days.",
        ],
        "authors": ["maren-okafor"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["transport", "city-budget"],
        "hours_ago": 1,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "business",
        "headline": (
            "Tidewater Robotics raises $9.5 million to build hull-cleaning underwater drones"
        ),
        "slug": "tidewater-robotics-raises-9-5-million",
        "standfirst": (
            "The Old Quay startup, founded by two Port Alder University graduates, says its robots "
            "can cut ships' fuel use by scrubbing barnacles off hulls while they are in port."
        ),
        "paragraphs": [
            "Tidewater Robotics, a Port Alder startup that builds underwater drones to clean the "
            "hulls of cargo ships, has raised $9.5 million from investors to expand its "
            "engineering team and build its first production fleet, the company said on Monday, "
            "in one of the largest early-stage investments in a Port Alder company in recent "
            "years.",
            "The funding round was led by Meridian Blue Ventures, an investment fund focused on "
            "shipping and ocean technology, with participation from the Port Alder Harbor "
            "Authority's innovation fund and several private investors. It values the company at "
            "about $40 million, according to a person familiar with the deal.",
            "Founded four years ago by Ines Kowalczyk and Samuel Adeyemi-Hart, who met as "
            "engineering graduate students at Port Alder University, Tidewater makes robots about "
            "the size of a suitcase that attach to a ship's hull by suction and crawl along it, "
            "removing algae and barnacles with soft rotating brushes.",
            "Marine growth on a hull increases drag and can raise a ship's fuel consumption by 10 "
            "percent or more. Hulls are typically cleaned by divers or in dry dock, which is "
            "expensive and can damage protective coatings. Tidewater says its drones can clean a "
            "mid-sized container ship in about six hours while it is being loaded.",
            '"The idea was always that a ship should leave port cleaner than it arrived, without '
            "losing a single hour,\" Kowalczyk said in an interview at the company's workshop, a "
            "converted net loft on the Old Quay. \"That's where the savings are, in fuel and in "
            "emissions, and that's what the shipping lines care about.\"",
            "The company has run trials with two shipping lines at Port Alder's container "
            "terminal over the past year and says it has signed its first commercial contract, "
            "with a regional ferry operator. It currently employs 23 people and plans to hire 30 "
            "more, mostly engineers and technicians, over the next 18 months.",
            "Tidewater's drones also collect the material they remove rather than releasing it "
            "into the water, which matters to port authorities concerned about invasive species "
            'hitching a ride on foreign vessels. "That was a big part of why we invested," said '
            "Callum Regan, the harbor authority's chief operating officer.",
            'The company said it intends to stay in Port Alder as it grows. "We have the harbor, '
            'the university and the people," Adeyemi-Hart said. "It would be strange to go '
            "anywhere else. Half of our engineers grew up within sight of the cranes on the "
            'container terminal."',
        ],
        "authors": ["hana-whitcombe"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["startups", "technology", "harbor", "university"],
        "hours_ago": 50,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "Tidewater's drones attach to a ship's hull and crawl along it using suction."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract underwater scene in navy and bright cyan, with a pale "
                "blue disc above layered blue waves and small pale blocks."
            ),
            "palette": "lab",
        },
        "corrections": [],
    },
    {
        "section": "business",
        "headline": "Alder Street Market traders say rent increases threaten century-old hall",
        "slug": "alder-street-market-traders-fear-rent-increases",
        "standfirst": (
            "Stallholders say proposed increases of up to 45 percent would force many of them out. "
            "The city, which owns the building, says it must cover the cost of a new roof."
        ),
        "paragraphs": [
            "Traders at the Alder Street Market, the covered hall in the city center that has "
            "housed butchers, bakers and fishmongers since 1911, say proposed rent increases of "
            "up to 45 percent could force a third of them to close within a year.",
            "The city, which owns the building, notified the market's 58 stallholders last month "
            "that rents would rise in stages over two years to help pay for a $5.3 million "
            "replacement of the hall's leaking iron-and-glass roof. The largest increases would "
            "fall on the bigger stalls along the central aisle.",
            '"My grandfather opened this stall, and I have never seen the traders so worried," '
            'said Bernard Ostrowski, who sells cheese and cured meats. "People think a market is '
            "quaint. It's a business, and our margins are tiny. Forty-five percent is not a "
            'number any of us can absorb."',
            "A survey by the Alder Street Market Traders' Association found that 19 of its "
            "members said they would probably leave if the increases went ahead as planned. "
            "Several said they had already seen fewer customers since a large supermarket opened "
            "on the edge of the city center last year.",
            "City officials say rents at the market have not been reviewed in 12 years and remain "
            'well below those for comparable commercial space nearby. "We want the market to '
            'thrive for another hundred years, and that means putting a sound roof over it," '
            "said Yusuf Brennan, the city's head of property. He said the city was open to "
            "spreading the increases over a longer period.",
            "The traders' association is asking the council to cover part of the roof costs from "
            "the city's capital budget. The proposal is expected to be discussed at the council's "
            "finance committee next month, in the same session as the wider budget shortfall.",
        ],
        "authors": ["hana-whitcombe"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["culture", "city-budget", "economy"],
        "hours_ago": 15,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "The Alder Street Market has housed butchers, bakers and fishmongers since 1911."
            ),
            "credit": "Odile Brecht for Newsroom",
            "alt": (
                "Illustration: an abstract market scene in deep teal, mustard and orange, with an "
                "orange sun over layered awning-like hills and terracotta blocks."
            ),
            "palette": "market",
        },
        "corrections": [],
    },
    {
        "section": "business",
        "headline": (
            "Container volumes at Port Alder terminal fall 7 percent as shipping lines reroute"
        ),
        "slug": "port-alder-container-volumes-fall",
        "standfirst": (
            "Two long-haul shipping services dropped Port Alder from their schedules this year in "
            "favor of larger ports to the south."
        ),
        "paragraphs": [
            "The number of containers handled at Port Alder's deep-water terminal fell by 7 "
            "percent in the latest quarter compared with the same period last year, according to "
            "figures published by the Port Alder Harbor Authority on Tuesday, the third quarterly "
            "fall in a row at the city's largest employer by land area.",
            "The authority said most of the decline was explained by two long-haul shipping "
            "services that removed Port Alder from their schedules at the start of the year, "
            "preferring to concentrate cargo at larger ports to the south that can take the "
            "biggest vessels without waiting for the tide.",
            "Terminal operator Alder Sound Container Services said it had kept all 420 of its "
            "permanent staff but had cut its use of casual dock labor. It said it expected "
            "volumes to recover once dredging of the main shipping channel is complete and the "
            "largest ships can call at any state of the tide.",
            "Other parts of the port performed better. Timber and grain shipments rose by 11 "
            "percent compared with a year earlier, and the number of cruise ship calls over the "
            "past 12 months reached a record 64, the authority said. Passenger numbers at the "
            "cruise terminal rose by a fifth, bringing more visitors to the Old Quay on summer "
            "weekends.",
        ],
        "authors": [],
        "agency": "Coastline Press",
        "dateline": "PORT ALDER",
        "tags": ["harbor", "economy"],
        "hours_ago": 160,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "business",
        "headline": "Fish processors warn of winter job losses as cod quota is cut by a fifth",
        "slug": "fish-processors-warn-of-job-losses",
        "standfirst": (
            "Plants in Greywater and Port Alder employ about 900 people at peak season. Owners say "
            "up to a quarter of those jobs could go."
        ),
        "paragraphs": [
            "Fish processing companies along Alder Sound say they may have to cut up to 230 "
            "seasonal jobs this winter after the regional assembly reduced the permitted cod "
            "catch by 20 percent, a blow to towns where the plants are among the largest "
            "employers.",
            "The five processing plants in Greywater and Port Alder together employ about 900 "
            "people at the height of the season, filleting, freezing and packing fish for "
            "supermarkets and restaurants across the region. Most seasonal workers are hired for "
            "the winter months, when cod landings are at their highest.",
            '"Less fish through the door means fewer hands on the line. There is no way around '
            'that arithmetic," said Astrid Morland, managing director of Greywater Seafoods, the '
            "largest of the plants, with 340 workers at peak. She said the company would try to "
            "make up some of the shortfall by processing more haddock and mackerel, but that "
            "those species fetch lower prices.",
            "In Greywater, a town of about 6,000 people at the mouth of the sound, the plants are "
            'a lifeline. "Half the families on my street have someone working at the fish plant '
            "in winter,\" said Rhodri Penn, who runs a hardware store on the town's main street. "
            '"When the plants cut back, everyone feels it by spring."',
            "The regional government said it would extend a retraining program for fishing and "
            "processing workers and would look at whether seasonal workers could be offered jobs "
            "on coastal restoration projects, such as kelp and seagrass planting, during the "
            "quieter months.",
            "Processing companies have also asked the regional assembly to speed up its planned "
            "survey of cod stocks, arguing that better data could allow the quota to be raised "
            "again sooner if the fish recover faster than the science panel expects.",
        ],
        "authors": ["hana-whitcombe", "elias-brandt"],
        "agency": "",
        "dateline": "GREYWATER",
        "tags": ["fishing", "harbor", "economy"],
        "hours_ago": 260,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "Most seasonal processing jobs run through the winter, when cod landings are "
                "highest."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract coastal scene in navy and teal, with a coral sun above "
                "layered waves and a row of low red blocks like sheds."
            ),
            "palette": "harbour",
        },
        "corrections": [
            {
                "kind": "clarification",
                "text": (
                    "This article has been clarified to make clear that the estimate of up to 230 "
                    "job losses refers to seasonal positions, not permanent staff."
                ),
                "hours_after": 20,
            },
        ],
    },
    {
        "section": "business",
        "headline": "Eastbank shipyard wins contract for two hybrid ferries, securing 300 jobs",
        "slug": "eastbank-shipyard-wins-hybrid-ferry-contract",
        "standfirst": (
            "The $88 million order from the regional transport authority is the largest for Port "
            "Alder's last shipyard in more than a decade."
        ),
        "paragraphs": [
            "Hallstrom Marine, the shipyard on Port Alder's Eastbank waterfront, has won an $88 "
            "million contract to build two diesel-electric hybrid passenger ferries for the "
            "regional transport authority, securing about 300 jobs at the yard for at least three "
            "years and ending months of uncertainty for its workforce.",
            "The two vessels, each able to carry 350 passengers and 60 cars, will replace ferries "
            "built in the 1980s on the routes between Port Alder, North Holm and the islands at "
            "the mouth of Alder Sound. They will run on battery power in and near harbors and use "
            "diesel generators on open water, cutting fuel consumption by an estimated 40 percent.",
            "It is the largest order for the yard in more than 10 years. Hallstrom has built "
            "tugs, fishing vessels and a research ship for Port Alder University in that time, "
            "but it laid off about 120 workers three years ago after losing a navy repair "
            "contract to a larger competitor.",
            '"This is a good day for this yard and for this side of the city," said Greta '
            "Hallstrom, the company's chief executive and the fourth generation of her family to "
            'run the business. "We have welders and electricians here whose fathers and '
            'grandmothers built ships in this same shed."',
            "The regional transport authority chose Hallstrom over bids from two larger yards "
            "outside the region. Its director of ferry services, Oren Blackwood, said the local "
            "bid had been competitive on price and stronger on delivery time, and that building "
            "close to the routes would make sea trials and crew training easier.",
            "Steel cutting for the first ferry is expected to start in the spring, with delivery "
            "in about two and a half years. The second vessel will follow roughly nine months "
            "later, and both are expected to be in service before the oldest of the current "
            "ferries reaches the end of its certified life.",
            "The yard said it would take on 40 apprentices over the life of the contract, in "
            "partnership with the technical program at Port Alder Community College. Applications "
            "for the first group of 12 will open next month, and the college said it would hold "
            "information evenings at Eastbank and in North Holm.",
        ],
        "authors": ["hana-whitcombe", "tobias-lindqvist"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["harbor", "transport", "climate"],
        "hours_ago": 70,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "The new ferries will serve the routes between Port Alder, North Holm and the "
                "islands of the outer sound."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract harbor scene in navy and pale blue, with a coral sun "
                "over layered teal hills and tall red blocks like shipyard cranes."
            ),
            "palette": "harbour",
        },
        "corrections": [],
    },
    {
        "section": "business",
        "headline": (
            "Downtown office vacancies reach record high as employers shrink their footprints"
        ),
        "slug": "downtown-office-vacancies-record-high",
        "standfirst": (
            "Almost one in four office floors in Port Alder's central business district is empty, "
            "according to a commercial property survey, as hybrid work reshapes demand."
        ),
        "paragraphs": [
            "Nearly a quarter of office space in downtown Port Alder is now vacant, the highest "
            "level since records began, according to a survey of commercial landlords published "
            "on Monday by the property consultancy Harbor Lane Advisors, which has tracked the "
            "market in the city since the early 1990s.",
            "The survey found that 23.6 percent of office floor space in the central business "
            "district was unoccupied at the end of the last quarter, up from 14 percent five "
            "years ago. Older buildings along Chandler Street and Mercer Avenue fared worst, with "
            "some towers more than 40 percent empty.",
            "Employers are not necessarily leaving the city, the consultancy said, but many are "
            "taking smaller offices as staff split their weeks between home and work. Two of the "
            "city's largest private employers, an insurance company and a software firm, have "
            "both moved into newer, smaller premises in the past year.",
            "\"The demand is there for modern, efficient space close to the tram. It's the tired "
            '1970s block with bad heating and no bike storage that nobody wants," said Elodie '
            'Marchetti, a director at Harbor Lane Advisors. "Landlords of those buildings are '
            'facing some very hard choices."',
            "The trend has implications for the city budget. Commercial property taxes make up "
            "about a fifth of Port Alder's tax revenue, and falling office values could reduce "
            "that income over time. City staff have begun studying whether some empty office "
            "buildings could be converted into apartments, an idea several councilmembers have "
            "endorsed.",
            "Such conversions are costly and technically difficult, developers caution. Deep "
            "floor plates can leave interior apartments without windows, and plumbing often has "
            'to be rebuilt from scratch. "It works for some buildings, but it is not a magic '
            'wand," Marchetti said.',
        ],
        "authors": ["hana-whitcombe"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["economy", "housing", "city-budget"],
        "hours_ago": 340,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "business",
        "headline": "Brewery co-op turns former tram depot into taproom and R&D kitchen",
        "slug": "brewery-co-op-turns-tram-depot-into-taproom",
        "standfirst": (
            "Saltings Brewing Cooperative, owned by more than 1,100 of its customers, spent two "
            "years restoring the red-brick depot, which had stood empty since the city moved its "
            "tram workshops."
        ),
        "paragraphs": [
            "A brewery owned by more than 1,100 of its customers has opened a taproom in Port "
            "Alder's former Saltings tram depot, a red-brick building that stood empty for nearly "
            "15 years after the city moved its tram maintenance to a new site in Northgate.",
            "Saltings Brewing Cooperative raised $1.4 million from its members to lease and "
            "restore the building, keeping the original tram rails set into the floor and the "
            "depot's iron roof trusses. Alongside the bar and brewhouse, the co-op has built what "
            'it calls an "R&D kitchen" — a test space where local cooks and food startups can '
            "try out recipes on the public before committing to a restaurant of their own.",
            '"We wanted the building to be useful to more people than just beer drinkers," said '
            'head brewer Marisol Quinlan. "If someone has a great idea for a seaweed noodle '
            "dish, they can test it on a Saturday night crowd here for the price of their "
            'ingredients, and find out quickly whether people come back for more."',
            "The co-op says it employs 26 people, most of them part-time, and that members "
            "receive a discount and a vote at its annual meeting. The taproom is open from noon "
            "every day except Monday, and the first guest cooks in the R&D kitchen will be "
            "announced on its website.",
        ],
        "authors": ["hana-whitcombe"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["culture", "startups"],
        "hours_ago": 600,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "The co-op kept the original tram rails set into the depot floor.",
            "credit": "Odile Brecht for Newsroom",
            "alt": (
                "Illustration: an abstract scene in teal, mustard and orange, with a warm orange "
                "sun above layered hills and a row of terracotta blocks like brick arches."
            ),
            "palette": "market",
        },
        "corrections": [],
    },
    {
        "section": "business",
        "headline": "Inside the harbor authority's struggle to fill its empty warehouses",
        "slug": "harbor-authority-empty-warehouses",
        "standfirst": (
            "Nine of the authority's 31 waterfront warehouses are empty, and some have been for a "
            "decade. Former tenants say the rents and the red tape drove them away."
        ),
        "paragraphs": [
            "The Port Alder Harbor Authority owns 31 warehouses along the city's working "
            "waterfront. Nine of them are currently empty, according to the authority's own "
            "property register, and four of those have not had a tenant in more than a decade.",
            "The authority says the buildings must be reserved for businesses that need to be "
            "near the water, under the terms of the law that created it. Former tenants and "
            "would-be tenants interviewed for this article say the rule has been applied so "
            "strictly that viable businesses have been turned away.",
            "One boatbuilding firm said it waited 14 months for an answer to its application to "
            "lease a warehouse on Pier 4 before giving up and moving to a site in Kestrel Bay. A "
            "seafood wholesaler said it was told it could not install a second-floor office "
            'because office use was not "maritime in character."',
            "The authority's chief executive declined to be interviewed for this article but said "
            'in a statement that it was "reviewing its leasing policies to reflect the changing '
            "needs of the waterfront economy.\" The authority's board is due to discuss the "
            "review at its next meeting, which is open to the public.",
        ],
        "authors": ["hana-whitcombe"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["harbor", "economy", "city-budget"],
        "hours_ago": None,
        "status": "draft",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "business",
        "headline": "Regional unemployment rate edges down to 4.6 percent",
        "slug": "regional-unemployment-edges-down",
        "standfirst": (
            "Gains in health care and construction offset job losses in retail, according to the "
            "latest regional labor figures."
        ),
        "paragraphs": [
            "The unemployment rate in the Alder Sound region fell to 4.6 percent last month from "
            "4.8 percent the month before, according to figures released on Friday by the "
            "regional statistics office, its lowest level in nearly two years. The number of "
            "people in work across the region rose by about 1,100.",
            "Health care added the most jobs, with about 700 new positions, many of them at "
            "hospitals and care homes. Construction employment also rose, helped by work on new "
            "housing in Northgate and flood defenses on the Eastbank. Retail lost about 300 jobs "
            "as several stores closed in the region's smaller towns.",
            'Economists cautioned against reading too much into a single month. "The trend is '
            "gently positive, but any cut to the cod quota won't show up in these numbers until "
            'the winter," said Linus Harrowby, a labor economist at Port Alder University. '
            '"Those figures will tell us a lot more."',
        ],
        "authors": [],
        "agency": "NWA",
        "dateline": "NORTH HOLM",
        "tags": ["economy"],
        "hours_ago": 700,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "science",
        "headline": (
            "Seagrass meadows in Alder Sound store far more carbon than expected, university study "
            "finds"
        ),
        "slug": "seagrass-meadows-store-more-carbon-than-expected",
        "standfirst": (
            "Port Alder University researchers say the underwater meadows hold more carbon per "
            "acre than the soils beneath the region's forests, and that half of them have been "
            "lost since the 1950s."
        ),
        "paragraphs": [
            "The seagrass meadows of Alder Sound are locking away carbon at a far higher rate "
            "than scientists had assumed, according to a study by researchers at Port Alder "
            "University, who say protecting and restoring the underwater plants could be one of "
            "the region's most effective tools against climate change.",
            "The team, led by marine ecologist Dr. Tamsin Okoro, took 186 sediment cores from 23 "
            "seagrass meadows around the sound over three summers. They found that the meadows "
            "store an average of about 60 tons of carbon per acre in the top three feet of "
            "sediment, more than the soils of the region's mature forests hold over the same "
            "depth.",
            "That is almost twice the value used in the regional government's current climate "
            "plan, which relied on international averages rather than local measurements. The "
            "researchers say the plan has therefore underestimated both the value of the meadows "
            "and the cost of losing them.",
            "\"Seagrass is easy to overlook because you can't see it from the shore, but these "
            'meadows are quietly doing an enormous amount of work," Okoro said. "The sediment '
            "under them is cold, waterlogged and low in oxygen, so the carbon that gets buried "
            'there can stay put for centuries."',
            "The study, published this week in a peer-reviewed journal of coastal ecology, also "
            "pieced together the meadows' history using aerial photographs, old navy charts and "
            "interviews with retired fishermen. It concludes that roughly half of the sound's "
            "seagrass has disappeared since the 1950s, lost to dredging, boat moorings, farm "
            "runoff and a wasting disease that swept through in the 1980s.",
            "When seagrass is destroyed, the researchers warn, some of the carbon stored beneath "
            "it can be released as the sediment is disturbed and exposed. They estimate that the "
            "meadows lost since the 1950s once held about 1.2 million tons of carbon, though how "
            "much of that has since escaped to the atmosphere is uncertain.",
            "The findings come as the Port Alder Harbor Authority prepares to dredge the main "
            "shipping channel. The authority said its plans avoid the known seagrass beds near "
            "Gull Point and that sand used to restore the beach there would be placed well above "
            'the low-water mark. Okoro said she was "reasonably reassured" by the plans but '
            "wanted independent monitoring.",
            "Restoration is possible but slow. For the past seven years, volunteers with the "
            "Alder Sound Trust have planted seagrass seeds collected by hand in two sheltered "
            "bays on the western shore. Surveys last summer found that about 8 acres of new "
            "meadow had become established, though storms have repeatedly set the work back.",
            "Other scientists welcomed the study but urged caution about using it to justify "
            'carbon offsets. "The numbers are robust, but measuring how much extra carbon a '
            "restored meadow captures year by year is much harder than measuring what's already "
            'in the mud," said Dr. Aurelio Stannard, a biogeochemist at the regional marine '
            "institute in North Holm, who was not involved in the research.",
            "Okoro's team is now seeking funding for a long-term monitoring program and has "
            "proposed that the sound's remaining meadows be given the same legal protection as "
            "coastal wetlands. The regional environment department said it would review the "
            "study's findings and respond to the proposal within six months.",
        ],
        "authors": ["priya-castellano", "elias-brandt"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["climate", "environment", "university"],
        "hours_ago": 36,
        "status": "published",
        "must_read": True,
        "photo": {
            "caption": (
                "Seagrass once carpeted much of the shallow water around the mouth of Alder Sound."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract scene in olive green and cream, with a tan sun above "
                "layered green hills and rust-colored blocks rising from the lowest layer."
            ),
            "palette": "forest",
        },
        "corrections": [],
    },
    {
        "section": "science",
        "headline": "Hospital trial tests a wearable sensor that could spot sepsis hours earlier",
        "slug": "wearable-sensor-sepsis-trial",
        "standfirst": (
            "Alder Regional Hospital will fit 600 surgical patients with a chest patch that tracks "
            "heart rate, breathing and temperature around the clock."
        ),
        "paragraphs": [
            "Alder Regional Hospital has begun a trial of a wearable sensor designed to detect "
            "the early signs of sepsis in patients recovering from surgery, in the hope of "
            "catching the life-threatening condition hours before it would normally be noticed on "
            "a ward.",
            "About 600 patients will wear a thin adhesive patch on their chest for up to five "
            "days after major abdominal surgery. The patch continuously measures heart rate, "
            "breathing rate and skin temperature and sends the readings wirelessly to a nurses' "
            "station, where software flags patterns associated with a developing infection.",
            "Sepsis occurs when the body's response to an infection damages its own tissues and "
            "organs. It can progress quickly, and each hour of delay in treatment raises the risk "
            "of death. On most hospital wards, nurses check patients' vital signs every four to "
            "six hours, meaning warning signs can go unnoticed overnight.",
            '"The early changes are often subtle — a breathing rate that creeps up, a heart rate '
            "that doesn't settle,\" said Dr. Lucan Merriweather, the anesthesiologist leading the "
            'trial. "A nurse doing rounds every four hours can miss a trend that a sensor '
            'watching every minute will pick up."',
            "The trial is a collaboration between the hospital and Port Alder University's "
            "biomedical engineering department, which developed the software. Half of the "
            "patients will be randomly assigned to wear the sensor, while the other half receive "
            "standard care, allowing researchers to compare how quickly sepsis is diagnosed and "
            "treated in each group.",
            "Previous studies of similar devices elsewhere have produced mixed results, partly "
            "because frequent false alarms can lead staff to ignore alerts. Merriweather said the "
            "team had spent a year tuning the software on anonymized records from past patients "
            "to keep false alarms to about one per patient every three days.",
            "Results are expected in about 18 months. If the sensor proves effective, the "
            "hospital says it could be rolled out to other wards, beginning with the cardiac "
            "unit, and the university has said it will publish the software so that other "
            "hospitals can test it.",
        ],
        "authors": ["priya-castellano"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["health", "technology", "university"],
        "hours_ago": 120,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "Patients in the trial wear the sensor for up to five days after surgery.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract composition in navy, blue and cyan, with a pale blue "
                "disc above smooth layered waves and a few pale rectangular blocks."
            ),
            "palette": "lab",
        },
        "corrections": [],
    },
    {
        "section": "science",
        "headline": "Harbor wall could be overtopped twice a year by 2050, sea-level study warns",
        "slug": "harbor-wall-overtopping-sea-level-study",
        "standfirst": (
            "A city-commissioned study says the 1960s sea wall protecting the Saltings and Old "
            "Quay will need to be raised by the early 2040s."
        ),
        "paragraphs": [
            "The sea wall that protects Port Alder's Saltings and Old Quay districts could be "
            "overtopped by waves about twice a year by 2050 as sea levels rise and storms "
            "intensify, according to a study commissioned by the city and presented to "
            "councilmembers on Monday.",
            "The wall, built in the 1960s after a storm surge flooded hundreds of homes, "
            "currently stands 14 feet above the average high-tide mark. It has been overtopped "
            "only three times in the past 20 years, each time during a major winter storm that "
            "coincided with an unusually high tide.",
            "The study, carried out by coastal engineers at Port Alder University, modeled how "
            "often waves would spill over the wall under several sea-level scenarios. Under a "
            "middle-of-the-road projection, with the sea about a foot higher than today by "
            "mid-century, overtopping would become a routine winter event.",
            '"The wall has done its job well for 60 years, but it was designed for the sea we '
            "had then, not the sea we're going to have,\" said Dr. Pieter Hollings, who led the "
            "modeling work. \"This isn't an emergency today, but the lead times for this kind of "
            'project are long, and the decisions need to start now."',
            "The study recommends raising the wall by about three feet along its most exposed "
            "sections by the early 2040s, and estimates the cost at between $90 million and $140 "
            "million. It also suggests the city consider restoring salt marsh in front of parts "
            "of the wall to absorb wave energy before it reaches the defenses.",
            "About 4,800 homes and 600 businesses sit behind the wall. City officials said they "
            "would begin work on a long-term coastal plan next year and would hold public "
            "meetings in both neighborhoods before any decisions were made. Residents will also "
            "be invited to an exhibition of the study's flood maps at the Saltings library.",
        ],
        "authors": ["elias-brandt"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["climate", "harbor", "weather"],
        "hours_ago": 230,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "About 4,800 homes and 600 businesses sit behind the sea wall.",
            "credit": "Sami Ketola / Newsroom",
            "alt": (
                "Illustration: an abstract seascape in navy and pale blue, with a coral sun above "
                "high layered waves pressing against a line of red blocks."
            ),
            "palette": "harbour",
        },
        "corrections": [
            {
                "kind": "correction",
                "text": (
                    "An earlier version of this article misstated the current height of the sea "
                    "wall. It stands 14 feet above the average high-tide mark, not 11 feet."
                ),
                "hours_after": 6,
            },
        ],
    },
    {
        "section": "science",
        "headline": "High school students launch weather balloon to study sea fog over Alder Sound",
        "slug": "students-launch-weather-balloon-sea-fog",
        "standfirst": (
            "The balloon climbed to nearly 100,000 feet before bursting and parachuting its "
            "instruments into a field near Kestrel Bay."
        ),
        "paragraphs": [
            "A group of 14 students from Harbor View High School launched a helium weather "
            "balloon from the school's playing fields on Saturday as part of a project to "
            "understand why sea fog lingers so stubbornly over Alder Sound in early summer.",
            "The balloon carried a small package of sensors built by the students with help from "
            "atmospheric scientists at Port Alder University, recording temperature, humidity and "
            "air pressure every second as it climbed. It reached an altitude of about 98,000 feet "
            "before bursting, and its instruments parachuted into a farmer's field near Kestrel "
            "Bay, where the students tracked them down using a GPS beacon.",
            '"Seeing the temperature jump at the top of the fog layer, right there in our own '
            'data, was the best moment of the whole year," said Amira Haddad, 17, one of the '
            "project leaders. The students plan to launch two more balloons this summer and will "
            "present their findings at the university's regional science fair.",
        ],
        "authors": ["june-abernathy"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["education", "weather", "university"],
        "hours_ago": 450,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "science",
        "headline": "Kelp forest restoration off North Holm shows first signs of recovery",
        "slug": "kelp-forest-restoration-north-holm",
        "standfirst": (
            "Divers say kelp has returned to parts of a reef where sea urchins had grazed it bare, "
            "after three years of urchin removal by local fishermen."
        ),
        "paragraphs": [
            "Kelp is growing back on parts of a reef off North Holm that had been stripped bare "
            "by sea urchins, according to surveys by divers from the regional marine institute, "
            "offering the first evidence that a three-year restoration project in the northern "
            "sound is working.",
            "Kelp forests once covered several miles of rocky seabed off the North Holm headland, "
            "sheltering juvenile fish and lobsters. But over the past two decades, a boom in "
            "purple sea urchins, combined with warmer water, reduced much of the reef to what "
            'divers call an "urchin barren": bare rock carpeted with spiny grazers.',
            "Since the project began, local fishermen paid by the regional government have "
            "removed about 1.4 million urchins from three trial plots by hand. The latest surveys "
            "found that kelp now covers about 35 percent of the seabed in those plots, compared "
            "with less than 5 percent before the work started. Untouched areas nearby remain "
            "almost entirely bare.",
            '"Three years ago I would swim over that reef and see nothing but urchins. Now there '
            'are patches where you have to push through the kelp," said Freya Sandvik, a diver '
            "and research technician at the institute. \"We've seen rockfish and young cod "
            "sheltering in it, which we hadn't seen there for years.\"",
            "Fishermen involved in the project say it has also provided welcome income. Some of "
            "the urchins are sold to restaurants, while the rest are composted on local farms. "
            "\"It's winter work when there isn't much else,\" said Joachim Berg, who has taken "
            "part in the removals since the start.",
            "Scientists caution that the plots are small and that kelp remains vulnerable to "
            "marine heat waves, which can kill off a recovering forest in a single summer. The "
            "institute has applied for funding to expand the project to a further 10 sites around "
            "the sound.",
        ],
        "authors": ["elias-brandt"],
        "agency": "Coastline Press",
        "dateline": "NORTH HOLM",
        "tags": ["environment", "climate", "fishing"],
        "hours_ago": 380,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "Kelp forests once covered several miles of rocky seabed off the North Holm "
                "headland."
            ),
            "credit": "Coastline Press",
            "alt": (
                "Illustration: an abstract underwater scene in olive and cream, with a tan sun "
                "filtering down over layered green hills and tall rust-colored blocks like kelp "
                "stalks."
            ),
            "palette": "forest",
        },
        "corrections": [],
    },
    {
        "section": "science",
        "headline": (
            "Why Port Alder's trams squeal on the curves — and how engineers plan to quiet them"
        ),
        "slug": "why-port-alder-trams-squeal",
        "standfirst": (
            "Residents near the Mill Square bend have complained about the noise for years. "
            "University researchers think they have found the cause."
        ),
        "paragraphs": [
            "Anyone who has stood near the tight curve at Mill Square when a tram goes past knows "
            "the sound: a piercing, metallic shriek that can exceed 100 decibels and, according "
            "to residents of the surrounding streets, carries on well past midnight.",
            "The noise, known to engineers as curve squeal, happens when the wheels of a tram "
            "slip sideways across the rail as it turns. Because each pair of wheels is fixed to a "
            "rigid axle, the outer wheel must travel farther than the inner one on a curve, and "
            "the resulting friction sets the wheel vibrating like a struck bell.",
            "A team of mechanical engineers at Port Alder University has spent the past year "
            "recording the sound with microphones and accelerometers mounted on the track and on "
            "two of Port Alder Transit's trams. They found that squeal was worst on dry, cold "
            "evenings and on the newest trams, whose wheels have a slightly different profile "
            "from the older fleet.",
            '"It\'s a classic problem, but every network is a bit different," said Dr. Hannelore '
            'Vix, who leads the research group. "Once you know exactly which wheels squeal on '
            "which curves and in which weather, you can start targeting the fix instead of "
            'guessing."',
            "The team is testing a system that sprays a thin film of friction-modifying compound "
            "onto the rail just before the curve, along with rubber dampers fitted to the wheels "
            "of the newer trams. Port Alder Transit says it hopes to install the equipment at "
            "Mill Square by next year if the trials succeed.",
        ],
        "authors": ["tobias-lindqvist", "priya-castellano"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["transport", "technology", "university"],
        "hours_ago": None,
        "status": "review",
        "must_read": False,
        "photo": {
            "caption": "The tight curve at Mill Square is the noisiest point on the tram network.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract night scene in indigo and violet, with a lilac disc "
                "above layered purple hills and a row of lavender blocks like tram cars."
            ),
            "palette": "night",
        },
        "corrections": [],
    },
    {
        "section": "science",
        "headline": "University observatory opens its doors for three nights of meteor watching",
        "slug": "university-observatory-meteor-watching-nights",
        "standfirst": (
            "Visitors will be able to use the Hallam Observatory's telescopes and hear talks from "
            "astronomers during the peak of this month's meteor shower."
        ),
        "paragraphs": [
            "Port Alder University's Hallam Observatory will open to the public for three "
            "evenings later this month to coincide with the peak of an annual meteor shower, "
            "giving residents a rare chance to look through the 24-inch telescope in the domed "
            "building on Beacon Hill.",
            "Each evening will begin with a short talk by university astronomers on what causes "
            "meteor showers and what visitors can expect to see. If skies are clear, visitors "
            "will then be able to take turns at the telescope and at smaller instruments set up "
            "on the lawn, while volunteers point out constellations and planets.",
            '"Under a dark sky you might see a meteor every couple of minutes at the peak, and '
            "you don't need any equipment at all, just patience and a warm coat,\" said Dr. Ewan "
            "Petrakis, the observatory's director. He recommended that visitors give their eyes "
            "at least 20 minutes to adjust to the dark and avoid looking at phone screens.",
            "Entry is free, but places are limited to 120 people a night and must be booked "
            "through the university's website. Events will go ahead in cloudy weather, with the "
            "talks followed by a tour of the observatory and its historic brass instruments "
            "instead of telescope viewing.",
        ],
        "authors": ["priya-castellano"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["university", "culture", "education"],
        "hours_ago": -72,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "The Hallam Observatory sits on Beacon Hill, above the university campus.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract night sky in deep indigo and purple, with a pale lilac "
                "moon over dark layered hills and small lavender blocks."
            ),
            "palette": "night",
        },
        "corrections": [],
    },
    {
        "section": "science",
        "headline": "Researchers find microplastics in every storm drain sampled across Port Alder",
        "slug": "microplastics-found-in-port-alder-storm-drains",
        "standfirst": (
            "Tire dust, not bottles or bags, made up the largest share of the particles washing "
            "toward the harbor, the study found."
        ),
        "paragraphs": [
            "Microplastic particles were found in water from every one of 48 storm drains sampled "
            "across Port Alder, according to a study by Port Alder University's environmental "
            "chemistry group, which says the city's drains are a major route by which plastic "
            "pollution reaches the harbor.",
            "The researchers collected water samples during and after 12 rainstorms over a year, "
            "filtered them and analyzed the particles using infrared spectroscopy. They found an "
            "average of about 180 particles per liter in runoff during heavy rain, with "
            "concentrations falling sharply in dry weather.",
            "The largest share, about 45 percent of the particles identified, consisted of "
            "fragments of tire rubber worn off by vehicles. Fibers from synthetic clothing and "
            "flakes of road paint were the next most common. Pieces of bottles and bags, which "
            "many people assume dominate plastic pollution, made up less than 10 percent.",
            '"Every time you brake or take a corner, a tiny amount of tire is left on the road, '
            'and when it rains, that dust goes straight down the drain and into the sound," said '
            "Dr. Kofi Ambrose-Lund, who led the study. Concentrations were highest in drains next "
            "to busy intersections and the main roads into the city center.",
            "Port Alder's storm drains carry rainwater directly to the river and the harbor "
            'without treatment. The study suggests that roadside "rain gardens" — planted areas '
            "that let runoff soak through soil before it reaches the drains — could trap a "
            "significant fraction of the particles.",
            "The city's environmental services department said it would consider the findings as "
            "it updates its stormwater plan, which already includes building rain gardens along "
            "parts of the proposed Northgate tram route. A spokesperson said drains near the "
            "busiest intersections would be looked at first, and that the city would share its "
            "own sampling data with the university.",
        ],
        "authors": ["priya-castellano"],
        "agency": "NWA",
        "dateline": "PORT ALDER",
        "tags": ["environment", "harbor", "university"],
        "hours_ago": 835,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "Storm drains carry rainwater directly to the river and the harbor without "
                "treatment."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract composition in navy and bright blue, with a pale disc "
                "above layered blue bands and a scatter of pale blocks like particles."
            ),
            "palette": "lab",
        },
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "Harbourers snatch stoppage-time winner against Millbrook to climb to fourth",
        "slug": "harbourers-stoppage-time-winner-against-millbrook",
        "standfirst": (
            "Substitute Kai Mendoza's header deep into added time sealed a 2–1 win at the Quayside "
            "Ground and lifted Port Alder into the playoff places."
        ),
        "paragraphs": [
            "Kai Mendoza came off the bench to head a stoppage-time winner as the Port Alder "
            "Harbourers beat Millbrook Athletic 2–1 at the Quayside Ground on Saturday, a result "
            "that lifted the club to fourth in the table and into the playoff places for the "
            "first time this season.",
            "The 21-year-old forward had been on the field for less than 10 minutes when he rose "
            "above two defenders to meet Tomás Reyne's corner in the fourth minute of added time, "
            "sending most of the crowd of 11,400 into celebrations that carried on well after the "
            "final whistle.",
            '"I just told myself to attack the ball. Tomás puts it in the same spot every time, '
            'so you know where to be," Mendoza said afterward. "The noise when it went in — '
            "I've never heard anything like it here, not even as a kid in the stands.\"",
            "It had looked like being a frustrating afternoon for the home side. Millbrook, who "
            "sit just two points behind the Harbourers, took the lead against the run of play in "
            "the 34th minute when Dario Kessel curled a free kick over the wall and into the top "
            "corner, leaving goalkeeper Ollie Brandvold rooted to the spot.",
            "The Harbourers dominated possession after the break and were level in the 61st "
            "minute. Captain Sefton Okwu won the ball in midfield and fed Leon Marchbank, whose "
            "low shot from the edge of the area took a deflection off a defender and wrong-footed "
            "the Millbrook goalkeeper.",
            "Chances came and went for both teams as the game opened up. Brandvold made a fine "
            "save to deny Kessel a second goal in the 78th minute, and Marchbank hit the post "
            "moments later. Manager Ruth Calloway sent on Mendoza with nine minutes left, a "
            "change that paid off in the most dramatic fashion.",
            "\"We've lost games like this earlier in the season, so to find a way to win it says "
            'a lot about where this group is now," Calloway said. "But we\'ve done nothing yet. '
            "There's a long way to go, and next week we go to the best team in the league.\"",
            "The Harbourers travel to Ashcombe Rovers, the league leaders, next weekend before "
            "hosting Fernley Town at the Quayside Ground in midweek. Millbrook, who had won their "
            "previous four games, drop to sixth and host Greywater Rangers on Tuesday night. "
            "Tickets for the Fernley game are still available from the club shop and website.",
        ],
        "authors": ["dominic-ashby"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["football"],
        "hours_ago": 18,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "A crowd of 11,400 watched the win at the Quayside Ground.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract stadium scene in dark and mid greens, with a mint sun "
                "above layered green banks and near-white blocks like floodlight towers."
            ),
            "palette": "stadium",
        },
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "Port Alder Marathon route moves inland after erosion closes clifftop path",
        "slug": "port-alder-marathon-route-moves-inland",
        "standfirst": (
            "Organizers say the new course through Northgate and the university campus will be "
            "flatter, but some runners will miss the sea views."
        ),
        "paragraphs": [
            "The Port Alder Marathon will follow a new route this year after a section of the "
            "clifftop path between Gull Point and Sealark Cove was closed because of erosion, "
            "race organizers announced on Thursday, in the biggest change to the course since the "
            "race was first held along the seafront.",
            "The path, which carried runners along the most scenic stretch of the course between "
            "miles 18 and 22, was shut by the city in the winter after geologists found cracks "
            "opening along the cliff edge following weeks of heavy rain. Engineers have said it "
            "is unlikely to reopen this year.",
            "The revised course will instead head inland through the Northgate district and loop "
            "around the Port Alder University campus before rejoining the original route along "
            "the harbor for the final three miles. Organizers said the new route had been "
            "measured and would be submitted for certification, so that times would still count "
            "for qualifying purposes.",
            '"Nobody loves running along the cliffs more than I do, but safety comes first, and '
            'we think runners will enjoy the new section," said race director Imogen Stavely. '
            "\"It's flatter, there's more shade, and the students on campus have promised us a "
            'proper welcome."',
            'Not all runners were convinced. "The cliffs are the reason I sign up every year," '
            'said Magnus Delaney, who has completed the race 11 times. "Running past a parking '
            "garage in Northgate isn't quite the same, but I'll be there on the start line "
            'anyway."',
            "About 6,500 runners are expected to take part in the marathon and the half-marathon, "
            "which starts an hour later. Road closures along the new section, including parts of "
            "Northgate Road, will be published on the race website four weeks before the event.",
        ],
        "authors": ["dominic-ashby"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["weather", "transport"],
        "hours_ago": 55,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "The clifftop path between Gull Point and Sealark Cove has been closed because of "
                "erosion."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract landscape in olive and cream, with a tan sun above "
                "layered hills falling away to the right and a few rust-colored blocks."
            ),
            "palette": "forest",
        },
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "Harbourers manager Ruth Calloway signs three-year contract extension",
        "slug": "calloway-signs-contract-extension",
        "standfirst": (
            "The former club captain has taken the team from the bottom half of the table to the "
            "edge of the promotion race in two seasons."
        ),
        "paragraphs": [
            "Ruth Calloway has signed a three-year contract extension as manager of the Port "
            "Alder Harbourers, the club announced on Wednesday, rewarding a run that has taken "
            "the team from the lower reaches of the table to the edge of the promotion race.",
            "Calloway, 44, made more than 300 appearances for the Harbourers as a defender and "
            "captained the side for six seasons before moving into coaching. She took charge two "
            "years ago with the club 17th in the table and struggling to fill the Quayside "
            "Ground. The team finished ninth last season and currently sit fifth, a point off the "
            "playoff places.",
            '"This club is part of who I am, and I genuinely believe we are building something '
            'here," Calloway said. "The players have bought into how we want to play, the '
            "academy is producing talent, and the crowds are coming back. I want to see it "
            'through."',
            'Club chairman Anders Whitlow said the board had not hesitated. "Ruth has restored a '
            'sense of identity to this club," he said. "We have had interest from other clubs '
            'in her, which is no surprise, and we wanted to make our commitment to her clear."',
            "Attendance at the Quayside Ground has risen by about 30 percent since Calloway's "
            "appointment, and the club says season ticket renewals for next season are already "
            "ahead of where they were at this point last year. Calloway's coaching staff, "
            "including assistant manager Hal Berrington, have also agreed new contracts.",
        ],
        "authors": ["dominic-ashby"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["football"],
        "hours_ago": 150,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": (
                "Ruth Calloway made more than 300 appearances for the Harbourers as a player."
            ),
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract scene in deep and bright greens, with a mint sun over "
                "layered green hills and a pair of near-white blocks."
            ),
            "palette": "stadium",
        },
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "Harbourers unveil plans to add 4,000 seats to the Quayside Ground",
        "slug": "harbourers-plan-4000-seat-expansion",
        "standfirst": (
            "The $38 million project would rebuild the stadium's old East Stand and add a "
            "community sports hall, but neighbors are worried about traffic on game days."
        ),
        "paragraphs": [
            "The Port Alder Harbourers have unveiled plans to rebuild the East Stand at the "
            "Quayside Ground, increasing the stadium's capacity from 14,200 to about 18,200 and "
            "adding a community sports hall that would be open to local schools and clubs during "
            "the week.",
            "The $38 million project would replace the 1950s stand, a low structure with a "
            "corrugated metal roof and wooden benches, with a two-tier stand containing 6,100 "
            "seats, new concessions and restrooms, and accessible viewing areas. The club hopes "
            "to begin work at the end of next season, with the stand open in time for the "
            "following campaign.",
            "Club chairman Anders Whitlow said the expansion was needed to meet rising demand. "
            "\"We've sold out six home games this season already. People are being turned away, "
            'and some of them are children who might become lifelong supporters," he said.',
            "The club says it will pay for the project through a mix of borrowing, a share sale "
            "to supporters and a sponsorship deal for the naming rights to the new stand. It is "
            "not seeking money from the city, although it has asked the council to consider "
            "improvements to the tram stop at Quayside.",
            "Residents of the rowhouse streets around the stadium say game days are already "
            "difficult. \"We can't park outside our own homes, and the tram is packed for an hour "
            "either side of the game,\" said Winifred Clegg, chair of the Quayside Residents' "
            "Association. \"Another 4,000 people will make that worse unless there's a proper "
            'transport plan."',
            "The club said it would publish a transport assessment with its planning application, "
            "which it expects to submit in the spring, and would hold two public exhibitions of "
            "the designs at the stadium next month. It also promised to set up a liaison group "
            "with residents that would meet before every season.",
        ],
        "authors": ["dominic-ashby", "tobias-lindqvist"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["football", "transport"],
        "hours_ago": 410,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "The East Stand at the Quayside Ground dates from the 1950s.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract stadium scene in layered greens, with a mint sun high "
                "above and tiered near-white blocks like a grandstand."
            ),
            "palette": "stadium",
        },
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "Preview: Harbourers head to leaders Ashcombe Rovers with injury list growing",
        "slug": "preview-harbourers-at-ashcombe-rovers",
        "standfirst": (
            "Ruth Calloway could be without three first-team regulars for the toughest away game "
            "of the season."
        ),
        "paragraphs": [
            "The Port Alder Harbourers travel to Ashcombe Rovers on Saturday for their toughest "
            "test of the season so far, and manager Ruth Calloway faces the prospect of doing so "
            "without three of her most experienced players, just a week after her side climbed "
            "into the playoff places with a dramatic win.",
            "Captain Sefton Okwu is a doubt with a hamstring strain picked up in training on "
            "Tuesday, and defender Jonah Pryce is suspended after collecting his fifth yellow "
            "card of the season. Winger Tomás Reyne, whose corner set up Kai Mendoza's late "
            "winner against Millbrook, is recovering from an ankle injury and will be assessed on "
            "Friday.",
            "Ashcombe have won nine of their 11 home games this season and lead the table by six "
            "points. Their striker, Benedek Sorrell, has scored 17 league goals, more than any "
            "other player in the division, and has found the net in each of his last five "
            "appearances.",
            "\"They're top of the league for a reason, and we'll have to defend well for long "
            'spells," Calloway said at her weekly news conference. "But my players aren\'t going '
            'there to hang on for a point. We believe we can hurt anyone on the counterattack."',
            "Kickoff is at 3 p.m. About 900 Harbourers supporters are expected to make the trip, "
            "and the club is running four buses from the Quayside Ground. Local radio will carry "
            "full commentary, and highlights will be posted on the club's website on Saturday "
            "evening.",
        ],
        "authors": ["dominic-ashby"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["football"],
        "hours_ago": -30,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "Ashcombe Rovers have won nine of their 11 home games this season.",
            "credit": "Newsroom illustration",
            "alt": (
                "Illustration: an abstract scene in dark green and mint, with a pale sun above "
                "layered green slopes and scattered near-white blocks."
            ),
            "palette": "stadium",
        },
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "University rowing crew wins regional title on choppy Alder Sound",
        "slug": "university-rowing-crew-wins-regional-title",
        "standfirst": (
            "Port Alder University's women's eight came from behind in rough water to beat the "
            "defending champions by less than a second."
        ),
        "paragraphs": [
            "Port Alder University's women's eight won the regional rowing championship on "
            "Sunday, overhauling the defending champions, Fernley College, in the final 250 "
            "meters of a race rowed in blustery conditions on Alder Sound. The university's men's "
            "eight finished fourth in their final.",
            "A stiff crosswind whipped up waves along the 2,000-meter course, which runs parallel "
            "to the western shore, and several crews in the earlier heats took on water. Port "
            "Alder were third at halfway, more than a length behind Fernley, before a surge in "
            "the closing stages carried them to victory by 0.8 seconds.",
            '"We practiced in worse than that all winter, so when it got rough, we knew we could '
            'keep our rhythm," said stroke Elin Fairweather. "At the last 500 we just looked at '
            "each other and went. I don't think any of us breathed until we saw the result.\"",
            "It is the crew's first regional title in nine years. The result qualifies them for "
            "the national university championships next month, where they will be one of 16 crews "
            "competing and the only one from the Alder Sound region. The crew will spend the "
            "coming weeks training on the sheltered water of the Alder River.",
        ],
        "authors": ["dominic-ashby"],
        "agency": "Coastline Press",
        "dateline": "PORT ALDER",
        "tags": ["university"],
        "hours_ago": 620,
        "status": "published",
        "must_read": False,
        "photo": {
            "caption": "The 2,000-meter course runs parallel to the western shore of Alder Sound.",
            "credit": "Coastline Press",
            "alt": (
                "Illustration: an abstract seascape in navy and teal, with a coral sun above "
                "choppy layered waves and a few slim red blocks."
            ),
            "palette": "harbour",
        },
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "Harbourers women reach cup semifinal after penalty shootout in Kestrel Bay",
        "slug": "harbourers-women-reach-cup-semifinal",
        "standfirst": (
            "Goalkeeper Noor Halvorsen saved two spot kicks as Port Alder edged Kestrel Bay United "
            "4–2 on penalties after a 1–1 draw."
        ),
        "paragraphs": [
            "The Port Alder Harbourers women's team reached the semifinals of the regional cup on "
            "Wednesday night, beating Kestrel Bay United 4–2 on penalties after a 1–1 draw at "
            "Harbor Road, in front of a crowd of about 1,300, a record for a women's game at the "
            "ground.",
            "Kestrel Bay took the lead just before halftime through Maddie Trelawny, whose shot "
            "from 20 yards skidded under the goalkeeper's body on a wet field. The Harbourers "
            "equalized in the 70th minute when forward Saskia Lund headed in a free kick from "
            "Grace Ibbotson at the far post.",
            "Neither side could find a winner in extra time, and the tie went to penalties. "
            "Harbourers goalkeeper Noor Halvorsen saved Kestrel Bay's first and third kicks, "
            "diving low to her left both times, and the visitors scored all four of theirs to "
            "seal a place in the last four.",
            "\"Penalties are a lottery, but I'd watched their takers in the warm-up and I had a "
            'feeling," Halvorsen said. The draw for the semifinals will be made later this week. '
            "The Harbourers are the only team from the Alder Sound region left in the competition.",
        ],
        "authors": [],
        "agency": "NWA",
        "dateline": "KESTREL BAY",
        "tags": ["football"],
        "hours_ago": 3,
        "status": "published",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
    {
        "section": "sport",
        "headline": "Ten years on: the promotion season that changed the Harbourers",
        "slug": "ten-years-on-harbourers-promotion-season",
        "standfirst": (
            "Players, staff and supporters look back on the 38 games that lifted a struggling club "
            "out of the fourth tier and rebuilt its bond with the city."
        ),
        "paragraphs": [
            "Ten years ago, the Port Alder Harbourers were a club in trouble. Crowds at the "
            "Quayside Ground had dwindled to a few thousand, the East Stand was closed for safety "
            "repairs, and a local businessman had just walked away from a deal to buy the club, "
            "leaving it weeks from insolvency.",
            "Nine months later they were champions. The promotion season that followed, built on "
            "a squad of free transfers, academy graduates and a 34-year-old captain named Ruth "
            "Calloway, remains the most celebrated campaign in the club's modern history, and the "
            "one supporters still talk about in the bars along the harbor.",
            '"Nobody gave us a chance. We had 16 players on the first day of preseason, and two '
            "of them were goalkeepers,\" Calloway recalled, sitting in the manager's office she "
            "now occupies. \"We trained on a school field because the club couldn't afford to "
            'heat the locker rooms at the stadium."',
            "Over several weeks, Newsroom spoke to more than 20 people who were part of that "
            "season: players, coaches, the equipment manager, the volunteer who ran the "
            "supporters' trust, and the fans who raised $250,000 in three weeks to keep the club "
            "alive. This is their story.",
        ],
        "authors": ["dominic-ashby"],
        "agency": "",
        "dateline": "PORT ALDER",
        "tags": ["football", "culture"],
        "hours_ago": None,
        "status": "draft",
        "must_read": False,
        "photo": None,
        "corrections": [],
    },
]


COMMENTS: list[dict[str, Any]] = [  # reader comments; reply_to indexes this list
    {
        "article": "council-approves-northgate-tram-extension",
        "name": "Gwen Thackeray",
        "email": "gwen.thackeray@example.com",
        "text": (
            "Finally. I've been squeezing onto the 14 bus from Northgate for nine years. Whatever "
            "it costs, it will pay for itself within a decade."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "council-approves-northgate-tram-extension",
        "name": "Rob Ellery",
        "email": "rellery@example.org",
        "text": (
            "Will it, though? The flood wall went 40% over budget. I'd like to see the contingency "
            "broken down line by line before anyone celebrates."
        ),
        "reply_to": 0,
        "state": "public",
    },
    {
        "article": "council-approves-northgate-tram-extension",
        "name": "Gwen Thackeray",
        "email": "gwen.thackeray@example.com",
        "text": (
            "It's in the council papers, appendix C. Not perfect, but it's a lot more detail than "
            "we ever got for the flood wall."
        ),
        "reply_to": 1,
        "state": "public",
    },
    {
        "article": "council-approves-northgate-tram-extension",
        "name": "Amos Pruitt",
        "email": "amos.pruitt@example.com",
        "text": (
            "Good to see the small-business fund made it in. The bakery by Elm Cross is the best "
            "in the city and I'd hate to lose it to two years of roadworks."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "council-approves-northgate-tram-extension",
        "name": "Dana K.",
        "email": "dana.k@example.com",
        "text": (
            "Seven stops and not one of them near the Northgate health clinic? That seems like an "
            "odd choice for a line that's supposed to serve older residents."
        ),
        "reply_to": None,
        "state": "pending",
    },
    {
        "article": "council-approves-northgate-tram-extension",
        "name": "Best Deals 4U",
        "email": "bestdeals4u@example.com",
        "text": (
            "Cheap watches!!! Top replica brands 90% off, free shipping worldwide. Visit "
            "http://example.net/cheap-watches today & save BIG"
        ),
        "reply_to": None,
        "state": "removed",
    },
    {
        "article": "hip-and-knee-surgery-waits-stretch-to-41-weeks",
        "name": "Margaret Hollis",
        "email": "m.hollis@example.org",
        "text": (
            "My husband waited 14 months for his hip. The surgeons and nurses were wonderful once "
            "he got there. The problem is the wait, not the staff."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "hip-and-knee-surgery-waits-stretch-to-41-weeks",
        "name": "Tom Braddock",
        "email": "tbraddock@example.com",
        "text": (
            "Thank you for filing the records request and publishing the numbers. We need more of "
            "this kind of reporting."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "hip-and-knee-surgery-waits-stretch-to-41-weeks",
        "name": "Lena Fairbairn",
        "email": "lena.fairbairn@example.com",
        "text": (
            "Does anyone know if you can ask to go on a cancellation list? My mother has been told "
            "nothing in nine months."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "hip-and-knee-surgery-waits-stretch-to-41-weeks",
        "name": "Harriet Song",
        "email": "harriet.song@example.org",
        "text": (
            "Yes — ask your family doctor to write to the orthopedic department and request it. "
            "That's how my dad got his date moved up by two months."
        ),
        "reply_to": 8,
        "state": "public",
    },
    {
        "article": "hip-and-knee-surgery-waits-stretch-to-41-weeks",
        "name": "Lena Fairbairn",
        "email": "lena.fairbairn@example.com",
        "text": "Thank you, that's really helpful. I'll call the practice tomorrow.",
        "reply_to": 9,
        "state": "public",
    },
    {
        "article": "storm-idris-cuts-power-to-12000-homes",
        "name": "Pete Lowry",
        "email": "pete.lowry@example.com",
        "text": (
            "Huge thanks to the Alder Grid crew who were out on our street in Northgate at 4 a.m. "
            "in that weather."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "storm-idris-cuts-power-to-12000-homes",
        "name": "Sally Penrose",
        "email": "sally.penrose@example.org",
        "text": "Still no power on Upper Fern Road as of 10 a.m. Is anyone else up here still out?",
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "storm-idris-cuts-power-to-12000-homes",
        "name": "Dev Malhotra",
        "email": "dev.malhotra@example.com",
        "text": (
            "We're on Fern Crescent and ours came back about 20 minutes ago. Hopefully you're next."
        ),
        "reply_to": 12,
        "state": "public",
    },
    {
        "article": "storm-idris-cuts-power-to-12000-homes",
        "name": "Irene Calder",
        "email": "irene.calder@example.com",
        "text": (
            "Line 3 really needs a plan for this. Every big storm it's the same story with a tree "
            "on the wires near Tannery Lane."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "storm-idris-cuts-power-to-12000-homes",
        "name": "Concerned Resident",
        "email": "concerned.resident@example.com",
        "text": (
            "These storms get worse every year and the council is still arguing about trams "
            "instead of the sea wall. Priorities!"
        ),
        "reply_to": None,
        "state": "pending",
    },
    {
        "article": "harbourers-stoppage-time-winner-against-millbrook",
        "name": "Stan Whitaker",
        "email": "stan.whitaker@example.com",
        "text": "Best moment at the Quayside in years. Mendoza has to start at Ashcombe.",
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "harbourers-stoppage-time-winner-against-millbrook",
        "name": "Cormac Dyer",
        "email": "cormac.dyer@example.org",
        "text": "Start him? He's 21 and played ten minutes. Calloway knows what she's doing.",
        "reply_to": 16,
        "state": "public",
    },
    {
        "article": "harbourers-stoppage-time-winner-against-millbrook",
        "name": "Stan Whitaker",
        "email": "stan.whitaker@example.com",
        "text": "Fair enough, but you saw that header. Give the kid a chance.",
        "reply_to": 17,
        "state": "public",
    },
    {
        "article": "harbourers-stoppage-time-winner-against-millbrook",
        "name": "Jess Ambler",
        "email": "jess.ambler@example.com",
        "text": "Brandvold's save in the 78th minute deserved as many headlines as the winner.",
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "harbourers-stoppage-time-winner-against-millbrook",
        "name": "WIN BIG",
        "email": "winbig@example.com",
        "text": (
            "Watch ALL matches free in HD + cheap watches and bonus codes >>> "
            "http://example.net/stream <<< click now"
        ),
        "reply_to": None,
        "state": "removed",
    },
    {
        "article": "alder-street-market-traders-fear-rent-increases",
        "name": "Priscilla Moyo",
        "email": "priscilla.moyo@example.com",
        "text": (
            "The market is the heart of the city center. If the city wants it to last another "
            "hundred years, it shouldn't price out the people who make it worth visiting."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "alder-street-market-traders-fear-rent-increases",
        "name": "Graham Tolliver",
        "email": "g.tolliver@example.org",
        "text": (
            "To be fair, 12 years without a rent review is a long time. Somebody has to pay for "
            "the roof."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "alder-street-market-traders-fear-rent-increases",
        "name": "Priscilla Moyo",
        "email": "priscilla.moyo@example.com",
        "text": (
            "Agreed, but 45% in two years is a cliff, not a review. Spread it over five years and "
            "most of the traders would manage."
        ),
        "reply_to": 22,
        "state": "public",
    },
    {
        "article": "alder-street-market-traders-fear-rent-increases",
        "name": "Nina Castell",
        "email": "nina.castell@example.com",
        "text": "Bernard's cheese stall is the only reason I go downtown on Saturdays.",
        "reply_to": None,
        "state": "pending",
    },
    {
        "article": "seagrass-meadows-store-more-carbon-than-expected",
        "name": "Oskar Lindell",
        "email": "oskar.lindell@example.com",
        "text": (
            "Fascinating. I've snorkeled over the beds at Gull Point for years without realizing "
            "how important they were."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "seagrass-meadows-store-more-carbon-than-expected",
        "name": "Marjorie Wendt",
        "email": "marjorie.wendt@example.org",
        "text": (
            "I volunteered with the seagrass planting last summer. It's slow, muddy work but very "
            "rewarding — they always need more hands in June."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "seagrass-meadows-store-more-carbon-than-expected",
        "name": "Oskar Lindell",
        "email": "oskar.lindell@example.com",
        "text": "How do you sign up? I'd be keen to help.",
        "reply_to": 26,
        "state": "public",
    },
    {
        "article": "seagrass-meadows-store-more-carbon-than-expected",
        "name": "Marjorie Wendt",
        "email": "marjorie.wendt@example.org",
        "text": (
            "The Alder Sound Trust has a volunteer form on its website. Bring boots you don't mind "
            "ruining!"
        ),
        "reply_to": 27,
        "state": "public",
    },
    {
        "article": "gullside-tenants-fight-eviction",
        "name": "Helen Moss",
        "email": "helen.moss@example.com",
        "text": (
            "I grew up on Gullside Terrace. These families are the neighborhood. $4,500 is "
            "insulting."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "gullside-tenants-fight-eviction",
        "name": "R. Kaplan",
        "email": "rkaplan@example.org",
        "text": (
            "Buildings from the 1920s do need work, and 96 new apartments is more housing, not "
            "less. It's not as simple as good guys and bad guys."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "gullside-tenants-fight-eviction",
        "name": "Helen Moss",
        "email": "helen.moss@example.com",
        "text": (
            "More apartments for whom, though? Fifteen below-market units out of 96 doesn't help "
            "the 22 households being evicted now."
        ),
        "reply_to": 30,
        "state": "public",
    },
    {
        "article": "mayor-solberg-will-not-seek-third-term",
        "name": "Walter Beame",
        "email": "walter.beame@example.com",
        "text": (
            "Whatever you think of her politics, she answered every letter I ever sent her office. "
            "Thank you, Mayor Solberg."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "mayor-solberg-will-not-seek-third-term",
        "name": "Yvonne Strand",
        "email": "yvonne.strand@example.org",
        "text": (
            "Eight years and the Saltings rail yards are still empty. Time for someone who can "
            "actually get housing built."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "mayor-solberg-will-not-seek-third-term",
        "name": "Ken Ashdown",
        "email": "ken.ashdown@example.com",
        "text": (
            "I hope the next mayor keeps the lead pipe program going. It's the least glamorous "
            "thing she did and probably the most important."
        ),
        "reply_to": None,
        "state": "pending",
    },
    {
        "article": "night-trams-return-to-line-2",
        "name": "Aoife Kerrigan",
        "email": "aoife.kerrigan@example.com",
        "text": (
            "As a night-shift nurse: thank you! Waiting 40 minutes for the night bus at half past "
            "midnight was miserable."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "night-trams-return-to-line-2",
        "name": "Liam Forde",
        "email": "liam.forde@example.org",
        "text": "Now do weekdays, please. Restaurant and bar staff finish late on Tuesdays too.",
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "night-trams-return-to-line-2",
        "name": "Aoife Kerrigan",
        "email": "aoife.kerrigan@example.com",
        "text": "Agreed — one step at a time, though.",
        "reply_to": 36,
        "state": "public",
    },
    {
        "article": "tidewater-robotics-raises-9-5-million",
        "name": "Henrik Sato",
        "email": "henrik.sato@example.com",
        "text": (
            "Great to see a company like this staying in Port Alder instead of moving south the "
            "moment it gets funding."
        ),
        "reply_to": None,
        "state": "public",
    },
    {
        "article": "tidewater-robotics-raises-9-5-million",
        "name": "Marta Vrabel",
        "email": "marta.vrabel@example.org",
        "text": (
            "Question for the reporter: what happens to the material the drones collect? Does it "
            "end up in landfill?"
        ),
        "reply_to": None,
        "state": "pending",
    },
    {
        "article": "maritime-museum-reopens-with-restored-pilot-cutter",
        "name": "Eleanor Pike",
        "email": "eleanor.pike@example.com",
        "text": (
            "Took the grandchildren on Sunday. The lock-gates model was a huge hit — we were there "
            "for an hour."
        ),
        "reply_to": None,
        "state": "public",
    },
]
