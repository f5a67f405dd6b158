"""Word lists for the data generator (our own lists; no text copied from anywhere)."""


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words("""
Aaron Abigail Adam Adrian Aisha Alan Albert Alexandra Alice Alicia Allison Amanda Amir Amy
Ana Andre Andrea Angela Anita Anthony Antonio Arjun Arthur Ashley Barbara Benjamin Beth
Brandon Brenda Brian Bruce Caleb Camila Carl Carlos Carmen Carol Caroline Catherine Charles
Chen Cheryl Chloe Christopher Claire Claudia Colin Connor Craig Cynthia Daniel Darius David
Deborah Denise Derek Diana Diego Dmitri Donna Dorothy Douglas Dylan Edward Elena Elijah
Elizabeth Ellen Emily Emma Eric Esther Ethan Eugene Evelyn Farah Fatima Felix Fernando Fiona
Frances Francis Gabriel Gary George Gerald Gloria Grace Gregory Hannah Harold Hassan Heather
Helen Henry Hiroshi Howard Ian Ibrahim Imani Irene Isaac Isabel Ivan Jack Jacob Jamal James
Janet Jason Javier Jean Jeffrey Jennifer Jeremy Jessica Joan Joel John Jonathan Jordan Jose
Joseph Joshua Joyce Juan Judith Julia Julian Justin Karen Katherine Keith Kenji Kenneth Kevin
Kimberly Kyle Laura Lauren Lawrence Leah Leon Linda Lisa Lucas Lucia Luis Lydia Malik Marcus
Margaret Maria Marie Mark Martha Martin Mary Matthew Maya Megan Melissa Michael Michelle Miguel
Mohammed Monica Nadia Nancy Naomi Natalie Nathan Nicholas Nicole Noah Olivia Omar Oscar Pablo
Pamela Patricia Patrick Paul Paula Peter Philip Priya Rachel Rafael Rahul Raymond Rebecca
Richard Rita Robert Roger Ronald Rosa Ruth Ryan Samantha Samuel Sandra Sara Scott Sean Sergei
Sharon Simon Sofia Sophia Stephanie Stephen Steven Susan Tamara Teresa Thomas Timothy Tyler
Valerie Vanessa Victor Victoria Vincent Walter Wei William Xavier Yasmin Yusuf Zachary Zoe
""")

LAST_NAMES = _words("""
Abbott Acosta Adler Aguilar Ahmed Albright Alvarez Anand Andersen Arnold Ashford Atwood Bailey
Baker Baldwin Banerjee Barnes Barrett Bauer Beck Bell Bennett Berger Bishop Blackwell Blair
Bowman Boyd Bradley Brennan Briggs Brooks Bryant Burke Burns Caldwell Campbell Cannon Carlson
Carr Carter Castillo Chandler Chapman Chavez Cho Clarke Cohen Coleman Collins Conrad Cooper
Cortez Crawford Cruz Cunningham Dalton Daniels Davidson Dawson Delgado Diaz Dixon Donovan
Douglas Doyle Duncan Dunn Eaton Edwards Ellis Erikson Espinoza Estrada Evans Farrell Ferguson
Fischer Fitzgerald Fleming Flores Fontaine Ford Foster Fowler Francis Franklin Fraser Fuller
Gallagher Garcia Gardner Garrison Gibson Gilbert Goldberg Gomez Gordon Graham Grant Greene
Gupta Gutierrez Hale Hamilton Hammond Hansen Harper Hartman Hayes Henderson Herrera Hicks
Hoffman Holland Holmes Hopkins Howell Hughes Hunt Ibarra Ingram Iqbal Jacobs Jensen Jimenez
Johnston Kaplan Keller Kennedy Khan Kim Klein Knight Koch Kowalski Kramer Kumar Lambert Lane
Larsen Lawson Lee Lehman Leonard Levin Lewis Lindgren Lopez Lowe Lucas Lynch Mack Maddox Malone
Mann Marsh Martinez Mason Matthews Maxwell McCarthy McDonald Medina Mehta Mendoza Meyer Miles
Miller Mitchell Molina Montgomery Moreno Morgan Morris Moss Murphy Nakamura Nash Navarro Nelson
Newman Nguyen Nichols Noble Norris Novak Obi Ochoa Oliver Olsen Ortega Osborne Owens Pacheco
Palmer Park Parsons Patel Patterson Pearson Pena Perkins Peters Phillips Pierce Porter Powell
Pratt Price Quinn Ramirez Ramos Randall Rao Reed Reyes Reynolds Rhodes Richards Riley Rivera
Robbins Rocha Rodgers Romero Rosen Ross Rowe Russo Salazar Sanders Santos Schmidt Schneider
Schultz Shapiro Sharma Shaw Sherman Silva Simmons Singh Sloan Soto Spencer Stanton Stein
Stephens Stone Sullivan Suzuki Tanaka Taylor Thornton Torres Tran Tucker Turner Underwood
Vargas Vasquez Vaughn Vega Wagner Walsh Ward Warren Watts Weber Webster Wells Whitaker Wiley
Wolfe Wong Woodward Wright Yamamoto Yang Young Zhang Zimmerman
""")

SYLLABLES = _words("""
al an ar ba be bo ca ce co da de do el en er fa fe fi ga ge go ha he hi ka ke ki la le li lo
lu ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi vo xa ze zo qu ty
""")

ENDINGS = ["x", "n", "r", "s", "l", "m", "tek", "ra", "on", "ia", "ex", "ix", "um", "is", ""]

COMPANY_SUFFIXES = _words("""
Systems Technologies Holdings Group Semiconductor Networks Robotics Energy Therapeutics
Capital Dynamics Analytics Software Devices Materials Aerospace Logistics Telecom Biotech
Microelectronics Cloud Security Instruments Industries
""")

TOPICS = """
export controls|chip smuggling|model distillation|data centers|critical minerals|cyber defense|
biosecurity|supply chains|telecom networks|satellite imaging|quantum computing|drone imports|
semiconductor tooling|cloud computing|election security|financial sanctions|investment screening|
privacy rules|antitrust enforcement|spectrum auctions|research security|visa policy|
battery materials|shipbuilding|rare earths|undersea cables|AI safety|content moderation|
border technology|health data|grid resilience|nuclear fuel|port security|space launch|
encryption standards|facial recognition|student visas|foreign lobbying|trade tariffs|
software liability
""".replace("\n", "").split("|")

AGENCY_FORMS = [
    "Office of {t}",
    "Bureau of {t}",
    "{t} Administration",
    "National {t} Agency",
    "{t} Review Board",
    "Federal {t} Commission",
    "Center for {t}",
    "{t} Enforcement Office",
]
COMMITTEE_FORMS = [
    "Senate Committee on {t}",
    "House Committee on {t}",
    "Senate Subcommittee on {t}",
    "House Subcommittee on {t}",
    "Joint Committee on {t}",
]
OUTLET_FORMS = [
    "{c} Herald",
    "{c} Ledger",
    "{c} Dispatch",
    "{c} Tribune",
    "{c} Observer",
    "{c} Courier",
    "{c} Gazette",
    "{c} Post",
    "{c} Review",
    "{c} Chronicle",
]
ORG_FORMS = [
    "{s} Institute",
    "{s} Foundation",
    "{s} Policy Center",
    "{s} Coalition",
    "{s} Alliance",
    "{s} Council",
    "{s} Association",
    "{s} Forum",
]
COURT_FORMS = ["{s} District Court", "Court of Appeals for the {s} Circuit", "{s} Trade Court"]

COUNTRIES = [
    ("China", "PRC", "Chinese government", "People's Republic of China", "Beijing"),
    ("Russia", "Russian Federation", "Russian government", "Moscow"),
    ("Iran", "Islamic Republic of Iran", "Iranian government", "Tehran"),
    ("North Korea", "DPRK", "Pyongyang", "Democratic People's Republic of Korea"),
    ("United Kingdom", "UK", "Britain", "British government"),
    ("Germany", "Federal Republic of Germany", "German government", "Berlin"),
    ("France", "French Republic", "French government", "Paris"),
    ("Japan", "Japanese government", "Tokyo", "State of Japan"),
    ("India", "Republic of India", "Indian government", "New Delhi"),
    ("Taiwan", "Republic of China", "Taipei", "Taiwanese authorities"),
    ("South Korea", "Republic of Korea", "ROK", "Seoul"),
    ("Canada", "Canadian government", "Ottawa", "Government of Canada"),
    ("Mexico", "United Mexican States", "Mexican government", "Mexico City"),
    ("Brazil", "Federative Republic of Brazil", "Brazilian government", "Brasilia"),
    ("Netherlands", "Dutch government", "The Hague", "Kingdom of the Netherlands"),
    ("Israel", "State of Israel", "Israeli government", "Jerusalem"),
    ("Saudi Arabia", "Kingdom of Saudi Arabia", "Saudi government", "Riyadh"),
    ("United Arab Emirates", "UAE", "Emirati government", "Abu Dhabi"),
    ("Singapore", "Republic of Singapore", "Singaporean government", "Singapore government"),
    ("Australia", "Commonwealth of Australia", "Australian government", "Canberra"),
]

CITIES = _words("""
Ashford Bayview Brookfield Cedar Clearwater Fairmont Granite Harbor Highland Lakeside Maple
Meridian Millbrook Northgate Oakridge Pinecrest Redwood Riverside Silverton Springfield
Stonebridge Summit Westbrook Willow Eastport Glenview Hillcrest Kingsport Newhaven Parkside
""")

NOUNS = _words("""
rule proposal letter hearing inquiry report bill amendment waiver license contract review
investigation subpoena briefing memo framework guidance standard audit budget program policy
agreement sanction probe filing lawsuit ruling deadline panel request complaint assessment
study plan strategy statement list designation exemption loophole provision notice order
""")

VERBS = _words("""
announced criticized defended questioned expanded delayed blocked approved rejected proposed
challenged endorsed examined revised introduced withdrew unveiled disputed reviewed welcomed
postponed tightened relaxed extended finalized opposed supported signed released cited
""")

ADJECTIVES = _words("""
new revised sweeping narrow bipartisan contested preliminary final classified public draft
temporary broad targeted emergency formal informal detailed overdue expanded limited
""")

FILLER = _words("""
the a of to in on for with and that by from after before about under over against while
officials said according people familiar matter week month year early late last next
several agencies staff lawmakers industry groups critics supporters experts companies
""")
