namespace Exit.Activities.Cti.Domain;

/// <summary>How an enquiry or referral reached the team (the names are stored; never rename one).</summary>
public enum EnquiryChannel { Outreach, Citizen, Authority, Ngo, Hospital, Other }

/// <summary>What was decided about an enquiry.</summary>
public enum EnquiryDecision { CourseOffered, ReferredElsewhere, NoFurtherContact, CitizenDeclined, Other }
